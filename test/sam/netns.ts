// The SAM tier runs in network and mount namespaces of its own, because the SAM CLI's containers go on
// podman's bridge network whatever the tier configures: the SAM CLI (docker-py) creates them with
// HostConfig.NetworkMode "default", and podman 4.3's Docker-compatible API turns "default" into
// "bridge" unconditionally (later podman releases use containers.conf's [containers] netns instead).
// Rootful bridge networking with published ports sets up a cni-podman0 bridge, iptables chains
// (CNI-FORWARD, CNI-HOSTPORT-DNAT, ...) and IPAM files under /var/lib/cni, none of which podman removes
// when the container goes. Here they are made in the namespaces and end with them:
//   - outside (enterNamespaces): `unshare --net --mount --fork --kill-child` re-runs the tier; once the
//     new network namespace exists, slirp4netns gives it a tap0 with a route out (the builds' RUN steps
//     fetch from Maven Central, the Go module proxy, crates.io and PyPI through it), as for rootless
//     podman; the host's loopback stays out of reach (--disable-host-loopback).
//   - inside (setUpInside): waits for tap0, brings up lo, and mounts a folder of its own on /var/lib/cni.
// Traffic to the functions' published ports stays on the namespace's own 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, readlinkSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, onPath } from '../images/exec.ts';

export const INSIDE = 'SAM_TIER_IN_NAMESPACES';
const CNI_DIR = '/var/lib/cni';

/** Why the tier cannot make its namespaces here, or ''. */
export async function namespacesMissing(): Promise<string> {
  const missing = [];
  for (const tool of ['unshare', 'slirp4netns', 'ip', 'iptables']) if (!(await onPath(tool))) missing.push(tool);
  return missing.length ? `${missing.join(', ')} not on PATH (util-linux, slirp4netns, iproute2, iptables)` : '';
}

/**
 * Re-runs this process's script in new network and mount namespaces with slirp4netns attached;
 * resolves with its exit code. SIGINT and SIGTERM are passed on to the tier inside, which cleans up.
 */
export async function enterNamespaces(): Promise<number> {
  const hadCni = existsSync(CNI_DIR);
  const [script = '', ...args] = process.argv.slice(1);
  const child = spawn('unshare', ['--net', '--mount', '--fork', '--kill-child', process.execPath, ...process.execArgv, script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [INSIDE]: '1' },
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const pid = child.pid;
  if (pid === undefined) return exited;
  // the tier inside: unshare's own child (unshare ignores SIGINT and SIGTERM while it waits)
  const inner = () => Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  const pass = (signal: NodeJS.Signals) => () => {
    try {
      process.kill(inner(), signal);
    } catch {
      /* gone */
    }
  };
  process.on('SIGINT', pass('SIGINT'));
  process.on('SIGTERM', pass('SIGTERM'));
  // slirp4netns must join the new namespace, never the host's: wait until unshare has made it
  const own = readlinkSync('/proc/self/ns/net');
  let slirp: ReturnType<typeof spawn> | undefined;
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    let theirs = own;
    try {
      theirs = readlinkSync(`/proc/${pid}/ns/net`);
    } catch {
      break;
    }
    if (theirs !== own) {
      slirp = spawn('slirp4netns', ['--configure', '--mtu=65520', '--disable-host-loopback', String(pid), 'tap0'], { stdio: 'ignore', detached: true });
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!slirp) console.log('FAIL network namespace: unshare made none (no slirp4netns started)');
  const code = await exited;
  if (slirp?.pid !== undefined && slirp.exitCode === null) {
    try {
      process.kill(slirp.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  // the mount point made for the bind mount inside, when the host had no /var/lib/cni
  if (!hadCni && existsSync(CNI_DIR) && (await readdir(CNI_DIR)).length === 0) await rmdir(CNI_DIR).catch(() => undefined);
  return code;
}

/** Inside the namespaces: tap0 up with its address, lo up, /var/lib/cni on a folder of ours. Returns the undo. */
export async function setUpInside(): Promise<() => Promise<void>> {
  const started = performance.now();
  while (!/inet /.test((await exec('ip', ['-4', '-o', 'addr', 'show', 'tap0'], { timeoutMs: 5000 })).stdout)) {
    if (performance.now() - started > 15_000) throw new Error('slirp4netns gave the namespace no tap0 address in 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const lo = await exec('ip', ['link', 'set', 'lo', 'up'], { timeoutMs: 5000 });
  if (lo.code !== 0) throw new Error(`ip link set lo up: ${lo.stderr}`);
  const cni = await mkdtemp(join(tmpdir(), 'cclambda-sam-cni-'));
  await mkdir(CNI_DIR, { recursive: true });
  const bind = await exec('mount', ['--bind', cni, CNI_DIR], { timeoutMs: 5000 });
  if (bind.code !== 0) throw new Error(`mount --bind ${cni} ${CNI_DIR}: ${bind.stderr}`);
  return async () => {
    await exec('umount', [CNI_DIR], { timeoutMs: 10_000 });
    await rm(cni, { recursive: true, force: true });
  };
}
