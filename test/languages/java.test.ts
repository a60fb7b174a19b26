// Generated Java projects' unit tests, run for real with Maven against Maven Central: for java17,
// java21 and java25, every event set (and java21 with --powertools), one `mvn test` per runtime over an
// aggregator pom of all its projects, then each project's surefire reports read, so a failure names its
// event set. Java 21 is compiled by JDK 25 (release 21), as no JDK 21 is installed here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generate, VARIANTS, type Variant } from '../helpers/matrix.ts';
import { EVENT_SETS, sh } from '../helpers/sh.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('java');
const FN = 'functions/hello-function';
const JDKS = ['/usr/lib/jvm/temurin-25-jdk-amd64', '/usr/lib/jvm/java-17-openjdk-amd64', process.env.JAVA_HOME ?? ''];

/** A JDK that can compile for `release`: its own major version is at least that. */
function jdkFor(release: number): string | undefined {
  for (const home of JDKS.filter(Boolean)) {
    const r = sh(`"${home}/bin/java" -XshowSettings:properties -version 2>&1 | grep 'java.specification.version'`, tmpdir());
    const version = Number(/=\s*(\d+)/.exec(r.output)?.[1] ?? 0);
    if (r.ok && version >= release) return home;
  }
  return undefined;
}

const mavenPresent = sh('mvn --version', tmpdir()).ok;

/** The Powertools artifacts the generated pom names, at its version. */
const POWERTOOLS = (() => {
  const pom = readFileSync(new URL('../../templates/functions/java-maven/pom.xml.hbs', import.meta.url), 'utf8');
  const version = /<powertools\.version>([^<]+)</.exec(pom)?.[1] ?? '';
  return [...pom.matchAll(/<artifactId>(powertools-[^<]+)<\/artifactId>/g)].map((m) => `software.amazon.lambda:${m[1]}:${version}`);
})();

/** The artifacts of `coordinates` that Maven cannot download here. */
function unserved(coordinates: string[], jdk: string): string[] {
  return coordinates.filter((c) => !sh(`mvn -B -q dependency:get -Dartifact=${c} -Dtransitive=false`, tmpdir(), { JAVA_HOME: jdk }).ok);
}

interface Report {
  tests: number;
  failures: number;
  errors: number;
}

function surefire(project: string): Report {
  const dir = join(project, 'target', 'surefire-reports');
  const total = { tests: 0, failures: 0, errors: 0 };
  if (!existsSync(dir)) return total;
  for (const file of readdirSync(dir).filter((f) => /^TEST-.*\.xml$/.test(f))) {
    const head = /<testsuite\b[^>]*>/.exec(readFileSync(join(dir, file), 'utf8'))?.[0] ?? '';
    for (const key of ['tests', 'failures', 'errors'] as const) total[key] += Number(new RegExp(`\\b${key}="(\\d+)"`).exec(head)?.[1] ?? 0);
  }
  return total;
}

async function mavenRun(v: Variant, jdk: string, sets: { events: string[]; extra: Record<string, unknown> }[]): Promise<void> {
  const projects: { label: string; dir: string }[] = [];
  for (const s of sets) {
    const g = await generate(v, 'x86_64', s.events, s.extra);
    projects.push({ label: `[${s.events}]${s.extra.powertools ? ' --powertools' : ''}`, dir: join(g.dir, FN) });
  }
  const root = mkdtempSync(join(tmpdir(), `ccl-maven-${v.runtime.id}-`));
  const modules = projects.map((p) => `    <module>${relative(root, p.dir)}</module>`).join('\n');
  writeFileSync(
    join(root, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>test</groupId>\n  <artifactId>all-${v.runtime.id}</artifactId>\n  <version>1</version>\n  <packaging>pom</packaging>\n  <modules>\n${modules}\n  </modules>\n</project>\n`,
  );
  // Every module is generated with the same artifactId; Maven needs them distinct in one reactor.
  for (const [i, p] of projects.entries()) {
    const pom = join(p.dir, 'pom.xml');
    writeFileSync(pom, readFileSync(pom, 'utf8').replace('<artifactId>hello-function</artifactId>', `<artifactId>hello-function-${i}</artifactId>`));
  }
  const r = sh('mvn -B -q --fail-at-end test', root, { JAVA_HOME: jdk, PATH: `${jdk}/bin:${process.env.PATH}` }, 1_200_000);
  const problems: string[] = [];
  for (const p of projects) {
    const report = surefire(p.dir);
    if (report.tests === 0 || report.failures + report.errors > 0) problems.push(`${p.label}: ${report.tests} tests, ${report.failures} failures, ${report.errors} errors`);
  }
  assert.ok(r.ok && problems.length === 0, `${problems.join('\n')}\n${r.output}`);
}

for (const v of VARIANTS.filter((x) => x.language.id === 'java')) {
  if (v.buildTool === 'gradle') {
    skip(v.name, 'gradle test', 'no Gradle distribution can be downloaded here (services.gradle.org is not reachable, Maven Central has none)');
    continue;
  }
  const release = Number(v.runtime.id.replace(/^java/, ''));
  const jdk = jdkFor(release);
  if (!mavenPresent || !jdk) {
    skip(v.name, 'mvn test', mavenPresent ? `no JDK ${release} or newer here` : 'mvn is not installed');
    continue;
  }
  const sets = EVENT_SETS.map((events) => ({ events, extra: {} as Record<string, unknown> }));
  if (v.runtime.id === 'java21') {
    const missing = unserved(POWERTOOLS, jdk);
    if (missing.length === 0) sets.push(...EVENT_SETS.map((events) => ({ events, extra: { powertools: true } })));
    else skip(v.name, 'mvn test --powertools', `Maven Central here does not serve ${missing.join(', ')}`);
  }
  t(`${v.name} (JDK ${jdk.split('/').at(-1)}): mvn test passes for ${sets.length} projects`, () => mavenRun(v, jdk, sets));
}

t.run();
