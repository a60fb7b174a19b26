// What the arm64 stand-ins take from Debian's arm64 packages on an x86_64 machine: a Debian root made
// once with mmdebstrap (deb.debian.org) into the stand-in cache, from which the stand-ins copy CPython
// 3.11, busybox-static and the shared libraries their programs need. Libraries are found with readelf
// (DT_NEEDED, read without running anything), so this needs no emulation; running what is copied does.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir } from './parts.ts';
import { exec } from './exec.ts';

export const DEBIAN_SUITE = 'bookworm';
/** CPython of that suite, and the other packages the stand-ins copy from. */
export const DEBIAN_PACKAGES_ARM64 = ['python3.11', 'libstdc++6', 'busybox-static'];
export const DEBIAN_PYTHON = '3.11';
/** Where the dynamic loader of Debian's arm64 glibc looks (multiarch), in search order. */
const LIBRARY_DIRS = ['/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib', '/usr/lib'];

/** The arm64 Debian root (mmdebstrap --variant=essential --architectures=arm64), made once; about 60-140 s. */
export async function debianArm64Root(): Promise<{ dir: string; version: string }> {
  const dir = join(cacheDir(), `debian-${DEBIAN_SUITE}-arm64-root`);
  if (!existsSync(dir)) {
    const partial = `${dir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    try {
      const args = ['--quiet', '--variant=essential', '--architectures=arm64', `--include=${DEBIAN_PACKAGES_ARM64.join(',')}`, '--dpkgopt=path-exclude=/usr/share/{doc,man,locale,info}/*', DEBIAN_SUITE, partial];
      const r = await exec('mmdebstrap', args, { timeoutMs: 15 * 60_000 });
      if (r.code !== 0) throw new Error(`mmdebstrap ${args.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
      await exec('mv', [partial, dir]);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  return { dir, version: `Debian ${DEBIAN_SUITE} arm64` };
}

/** Version of a Debian package installed in that root ("3.11.2-6+deb12u6"). */
export async function packageVersion(root: string, pkg: string): Promise<string> {
  const r = await exec('dpkg-query', [`--admindir=${join(root, 'var/lib/dpkg')}`, '-W', '-f=${Version}', `${pkg}:arm64`]);
  return r.code === 0 ? r.stdout.trim() : '?';
}

/** DT_NEEDED and DT_RUNPATH/RPATH of an ELF file (binutils' readelf reads any architecture). */
async function dynamic(file: string): Promise<{ needed: string[]; runpath: string[] }> {
  const r = await exec('readelf', ['-d', '-W', file]);
  const needed = [...r.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1] ?? '');
  const runpath = [...r.stdout.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[([^\]]+)\]/g)].flatMap((m) => (m[1] ?? '').split(':'));
  return { needed, runpath };
}

/**
 * Copies the shared libraries that these arm64 ELF files of rootfs need, transitively, from `sysroot`
 * (the Debian root) to the same paths in rootfs, with the dynamic loader. Libraries already in rootfs
 * (the interpreter's own, under /var/lang) are used where they are. Throws for one found nowhere.
 */
export async function copyArm64Libraries(rootfs: string, sysroot: string, elves: string[], ownDirs: string[] = []): Promise<void> {
  const loader = '/lib/ld-linux-aarch64.so.1';
  const queue = [...elves];
  const seen = new Set<string>();
  const copyIn = async (path: string) => {
    const dest = join(rootfs, path);
    if (existsSync(dest)) return;
    await mkdir(dirname(dest), { recursive: true });
    await copyFile(realpathSync(join(sysroot, path)), dest);
  };
  await copyIn(loader);
  while (queue.length) {
    const file = queue.shift() as string;
    const { needed, runpath } = await dynamic(file);
    for (const lib of needed) {
      if (seen.has(lib) || lib === 'ld-linux-aarch64.so.1') continue;
      seen.add(lib);
      const own = [...ownDirs, ...runpath.map((p) => p.replace('$ORIGIN', dirname(file)))].map((d) => join(d, lib)).find((f) => existsSync(f));
      if (own) {
        queue.push(own);
        continue;
      }
      const dir = LIBRARY_DIRS.find((d) => existsSync(join(sysroot, d, lib)));
      if (!dir) throw new Error(`${lib}, needed by ${file.slice(rootfs.length)}, is not in the Debian arm64 root`);
      await copyIn(join(dir, lib));
      queue.push(join(rootfs, dir, lib));
    }
  }
}

/** The ELF machine of a file: "aarch64", "x86_64" or "other". */
export function elfMachine(head: Buffer): 'aarch64' | 'x86_64' | 'other' {
  if (head.length < 20 || head.toString('latin1', 0, 4) !== '\x7fELF') return 'other';
  const machine = head.readUInt16LE(18);
  return machine === 0xb7 ? 'aarch64' : machine === 0x3e ? 'x86_64' : 'other';
}
