// The function lists `add` appends to: scripts/project.sh (three fields) and the ECR script of
// projects generated before it (two fields), byte for byte, line endings kept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addToFunctionList } from '../src/project/side-files.ts';

const t = suite('side-files');

t('scripts/project.sh gets "<Id>:<folder>:<arch>"', () => {
  const text = '# shellcheck shell=bash\nPROJECT="app"\nFUNCTIONS=(\n  "HelloFunction:hello-function:x86_64"\n)\n';
  assert.is(addToFunctionList(text, 'Orders', 'orders', 'arm64'), text.replace(')\n', '  "Orders:orders:arm64"\n)\n'));
});

t('an older ECR script keeps its two-field list, CRLF and all; a listed function changes nothing', () => {
  const text = '#!/usr/bin/env bash\r\nPROJECT="app"\r\nFUNCTIONS=(\r\n    "HelloFunction:hello-function"\r\n)\r\nfor e in "${FUNCTIONS[@]}"; do :; done\r\n';
  assert.is(addToFunctionList(text, 'Orders', 'orders'), text.replace(')\r\n', '    "Orders:orders"\r\n)\r\n'));
  assert.is(addToFunctionList(text, 'HelloFunction', 'hello-function'), undefined);
  assert.is(addToFunctionList('echo "${FUNCTIONS[@]}"\n', 'Orders', 'orders'), undefined);
});

t.run();
