// A stand-in for the Lambda Web Adapter's image (public.ecr.aws/awsguru/aws-lambda-adapter:<tag>), which
// no registry here serves: the adapter is built from its crate on crates.io (lambda_web_adapter, binary
// lambda-adapter) with the machine's cargo, linked statically like the real one, and is the only file of
// an image FROM scratch, at /lambda-adapter where the real image has it. The Dockerfiles copy it from
// there into /opt/extensions/; the emulator (aws-lambda-rie) starts it as the real Lambda does.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ImageEngine } from './engine.ts';
import { exec, onPath } from './exec.ts';
import { cacheDir, machinePartArch } from './parts.ts';
import { STANDIN_LABEL } from './standins.ts';

/**
 * The crate version each image tag is built from. crates.io has 1.0.0-rc1 as its newest (no 1.0.0):
 * the release candidate stands in for 1.0.0, and the image's description says so.
 */
const CRATE_OF_TAG: Record<string, string> = { '1.0.0': '1.0.0-rc1' };

const crateVersion = (image: string) => {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return process.env.STANDIN_LWA_VERSION ?? CRATE_OF_TAG[tag] ?? tag;
};

/**
 * cargo install of the adapter, once per version, kept in the stand-ins' cache. An unoptimised build
 * without debug information: what it does is the same, and it takes about 35 s instead of 3-6 minutes
 * of both cores (release: LTO, one codegen unit), which a clean CI machine would pay on every run.
 */
async function adapterBinary(version: string): Promise<string> {
  const dir = join(cacheDir(), `lambda-web-adapter-${version}-dev-x86_64`);
  const binary = join(dir, 'bin', 'lambda-adapter');
  if (existsSync(binary)) return binary;
  const cargo = (await onPath('cargo')) ?? join(process.env.HOME ?? '', '.cargo/bin/cargo');
  if (!existsSync(cargo)) throw new Error('no cargo: the Lambda Web Adapter stand-in is built from its crate');
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  // crt-static with an explicit --target: the binary links glibc statically, build scripts stay dynamic.
  const r = await exec(
    cargo,
    ['install', 'lambda_web_adapter', '--version', version, '--locked', '--debug', '--target', 'x86_64-unknown-linux-gnu', '--root', partial, '--target-dir', join(cacheDir(), 'lambda-web-adapter-target')],
    { env: { ...process.env, RUSTFLAGS: '-C target-feature=+crt-static', CARGO_PROFILE_DEV_DEBUG: '0' }, timeoutMs: 30 * 60_000 },
  );
  if (r.code !== 0) throw new Error(`cargo install lambda_web_adapter ${version} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-6).join('\n')}`);
  await rm(dir, { recursive: true, force: true });
  await exec('mv', [partial, dir]);
  return binary;
}

/** Tags `image` in the engine's storage as the adapter stand-in, unless it is there already. */
export async function ensureAdapterStandin(engine: ImageEngine, image: string): Promise<void> {
  if (await engine.exists(image)) return;
  if (engine.foreign || machinePartArch() !== 'x86_64') throw new Error(`no stand-in for ${image} on ${engine.arch}: it is built for x86_64 only (a cross build needs the arm64 Rust target)`);
  const version = crateVersion(image);
  const binary = await adapterBinary(version);
  const stage = await mkdtemp(join(tmpdir(), 'ccl-adapter-'));
  try {
    await mkdir(stage, { recursive: true });
    await copyFile(binary, join(stage, 'lambda-adapter'));
    const description = `Local stand-in for ${image}: lambda-adapter built from crate lambda_web_adapter ${version}; not the real image`;
    await writeFile(join(stage, 'Dockerfile'), ['FROM scratch', 'COPY lambda-adapter /lambda-adapter', `LABEL ${STANDIN_LABEL}="${image}" org.opencontainers.image.description="${description}"`, ''].join('\n'));
    await engine.build(stage, image);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
