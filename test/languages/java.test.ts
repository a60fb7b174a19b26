// Generated Java projects' unit tests, run for real with Maven against Maven Central: for java17,
// java21 and java25, every event set (and java21 with --powertools), one `mvn test` per runtime over an
// aggregator pom of all its projects, then each project's surefire reports read, so that a failure
// names its event set. Each runtime builds on the oldest JDK here that can compile for it (java21 on
// JDK 25 at release 21 when there is no JDK 21). Not offline: a version that Maven Central does not
// serve fails the build. javac warnings fail it too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generate, VARIANTS, type Variant } from '../helpers/matrix.ts';
import { EVENT_SETS, sh } from '../helpers/sh.ts';
import { skip } from '../helpers/skips.ts';

const t = suite('java');
const FN = 'functions/hello-function';
/** Every event kind at once: the handler that dispatches on the event's shape. */
const ALL = EVENT_SETS.at(-1) ?? [];

/** The JDKs here: /usr/lib/jvm/*, JAVA_HOME and the one on PATH, by major version. */
function jdks(): { home: string; major: number }[] {
  const homes = new Set<string>();
  if (existsSync('/usr/lib/jvm')) for (const d of readdirSync('/usr/lib/jvm')) homes.add(join('/usr/lib/jvm', d));
  if (process.env.JAVA_HOME) homes.add(process.env.JAVA_HOME);
  const onPath = sh('readlink -f "$(command -v javac)"', tmpdir());
  if (onPath.ok && onPath.output.endsWith('/bin/javac')) homes.add(onPath.output.slice(0, -'/bin/javac'.length));
  const found = new Map<string, number>();
  for (const home of homes) {
    if (!existsSync(join(home, 'bin', 'javac')) || !existsSync(join(home, 'release'))) continue;
    const v = /^JAVA_VERSION="(\d+)/m.exec(readFileSync(join(home, 'release'), 'utf8'));
    if (v) found.set(sh(`readlink -f "${home}"`, tmpdir()).output || home, Number(v[1]));
  }
  return [...found].map(([home, major]) => ({ home, major })).sort((a, b) => a.major - b.major);
}

const JDKS = jdks();
const mavenPresent = sh('mvn --version', tmpdir()).ok;

/** The oldest JDK that compiles for `release`. */
const jdkFor = (release: number) => JDKS.find((j) => j.major >= release);

/** The Powertools modules the generated pom names, at its version. */
const POWERTOOLS = (() => {
  const pom = readFileSync(new URL('../../templates/functions/java-maven/pom.xml.hbs', import.meta.url), 'utf8');
  const version = /<powertools\.version>([^<]+)</.exec(pom)?.[1] ?? '';
  return [...pom.matchAll(/<artifactId>(powertools-[^<]+)<\/artifactId>/g)].map((m) => `software.amazon.lambda:${m[1]}:${version}`);
})();

/** The artifacts of `coordinates` that Maven cannot download. */
function unserved(coordinates: string[], jdk: string): string[] {
  return coordinates.filter((c) => !sh(`mvn -B -q dependency:get -Dartifact=${c} -Dtransitive=false`, tmpdir(), { JAVA_HOME: jdk }).ok);
}

interface Report {
  tests: number;
  failures: number;
  errors: number;
}

/** The totals of a project's surefire reports (target/surefire-reports/TEST-*.xml). */
function surefire(project: string): Report {
  const dir = join(project, 'target', 'surefire-reports');
  const total = { tests: 0, failures: 0, errors: 0 };
  if (!existsSync(dir)) return total;
  for (const file of readdirSync(dir).filter((f) => /^TEST-.*\.xml$/.test(f))) {
    const head = /<testsuite\b[^>]*>/.exec(readFileSync(join(dir, file), 'utf8'))?.[0] ?? '';
    for (const key of ['tests', 'failures', 'errors'] as const) total[key] += Number(new RegExp(`\\s${key}="(\\d+)"`).exec(head)?.[1] ?? 0);
  }
  return total;
}

interface Project {
  label: string;
  events: string[];
  extra: Record<string, unknown>;
  dir?: string;
}

/**
 * One test runs `mvn test` once over all the projects of a variant, then one test per project reads
 * its reports: a version Maven Central lacks fails the first, a failing unit test the project's own.
 */
function mavenTests(v: Variant, jdk: { home: string; major: number }, projects: Project[]): void {
  let output = '';
  t(`${v.name}: mvn test over ${projects.length} projects (JDK ${jdk.major}, release ${v.runtime.vars.javaRelease})`, async () => {
    for (const p of projects) p.dir = join((await generate(v, 'x86_64', p.events, p.extra)).dir, FN);
    const root = mkdtempSync(join(tmpdir(), `ccl-maven-${v.name}-`));
    try {
      // Every project is generated with the same artifactId; one reactor needs them distinct.
      for (const [i, p] of projects.entries()) {
        const pom = join(p.dir!, 'pom.xml');
        writeFileSync(pom, readFileSync(pom, 'utf8').replace(/<artifactId>hello-function<\/artifactId>/, `<artifactId>hello-function-${i}</artifactId>`));
      }
      const modules = projects.map((p) => `    <module>${relative(root, p.dir!)}</module>`).join('\n');
      writeFileSync(
        join(root, 'pom.xml'),
        `<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>test</groupId>\n  <artifactId>all-${v.name}</artifactId>\n  <version>1</version>\n  <packaging>pom</packaging>\n  <modules>\n${modules}\n  </modules>\n</project>\n`,
      );
      const flags = '-Dmaven.compiler.showWarnings=true -Dmaven.compiler.failOnWarning=true -Dmaven.test.redirectTestOutputToFile=true';
      const r = sh(`mvn -B -q -T 2 --fail-at-end ${flags} test`, root, { JAVA_HOME: jdk.home, PATH: `${jdk.home}/bin:${process.env.PATH}` }, 1_200_000);
      output = r.output;
      assert.ok(r.ok, r.output);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
  for (const p of projects) {
    t(`${v.name} ${p.label}: unit tests pass`, () => {
      const report = p.dir ? surefire(p.dir) : { tests: 0, failures: 0, errors: 0 };
      assert.ok(report.tests > 0 && report.failures === 0 && report.errors === 0, `${report.tests} tests, ${report.failures} failures, ${report.errors} errors\n${output}`);
    });
  }
}

const label = (events: string[], extra: Record<string, unknown> = {}) => `[${events.join(',')}]${extra.powertools ? ' --powertools' : ''}${extra.tracing ? ' --tracing' : ''}`;

for (const v of VARIANTS.filter((x) => x.language.id === 'java')) {
  if (v.buildTool === 'gradle') {
    skip(v.name, 'gradle test', "no Gradle distribution here: services.gradle.org is not reachable, Maven Central has none, and Debian's gradle 4.4.1 predates the Kotlin DSL and APIs these builds use");
    continue;
  }
  const release = Number(v.runtime.vars.javaRelease);
  const jdk = jdkFor(release);
  if (!mavenPresent || !jdk) {
    skip(v.name, 'mvn test', mavenPresent ? `no JDK ${release} or newer here (found: ${JDKS.map((j) => j.major).join(', ') || 'none'})` : 'mvn is not installed');
    continue;
  }
  const projects: Project[] = EVENT_SETS.map((events) => ({ label: label(events), events, extra: {} }));
  if (v.runtime.id === 'java21') {
    // Powertools: a typed handler and the one that dispatches on the event's shape.
    // powertools-tracing is named only with --tracing.
    const missing = unserved(POWERTOOLS, jdk.home);
    const tracing = missing.filter((c) => c.startsWith('software.amazon.lambda:powertools-tracing:'));
    if (missing.length > tracing.length) {
      t(`${v.name} --powertools: Maven Central serves the Powertools modules at the pinned version`, () => assert.unreachable(`not served: ${missing.join(', ')}`));
    } else {
      for (const events of [['sqs'], ALL]) projects.push({ label: label(events, { powertools: true }), events, extra: { powertools: true } });
      const traced = { powertools: true, tracing: true };
      if (tracing.length === 0) projects.push({ label: label(ALL, traced), events: ALL, extra: traced });
      else skip(v.name, 'mvn test --powertools --tracing', `Maven Central here does not serve ${tracing.join(', ')} (it lists powertools-tracing 1.x only)`);
    }
  }
  mavenTests(v, jdk, projects);
}

// ---- The Gradle build names the same versions as the Maven build, for the same project.
/** artifactId -> version in a generated pom (properties and the imported BOMs resolved). */
function mavenVersions(pom: string): Map<string, string> {
  const props = new Map([...pom.matchAll(/<([\w.-]+)>([^<$]+)<\/\1>/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
  const out = new Map<string, string>();
  for (const m of pom.matchAll(/<dependency>\s*<groupId>[^<]+<\/groupId>\s*<artifactId>([^<]+)<\/artifactId>(?:\s*<version>([^<]+)<\/version>)?/g)) {
    if (m[1] && m[2]) out.set(m[1], m[2].replace(/\$\{([^}]+)\}/g, (_, k: string) => props.get(k) ?? `?${k}`));
  }
  return out;
}

/** artifactId -> version in a generated build.gradle.kts; the JUnit BOM stands for junit-jupiter. */
function gradleVersions(kts: string): Map<string, string> {
  const vals = new Map([...kts.matchAll(/val (\w+) = "([^"]+)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
  const out = new Map<string, string>();
  for (const m of kts.matchAll(/"[\w.-]+:([\w.-]+):([^"]+)"/g)) {
    if (m[1] && m[2]) out.set(m[1] === 'junit-bom' ? 'junit-jupiter' : m[1], m[2].replace(/\$(\w+)/g, (_, k: string) => vals.get(k) ?? `?${k}`));
  }
  return out;
}

for (const runtime of ['java17', 'java21', 'java25']) {
  const maven = VARIANTS.find((x) => x.runtime.id === runtime && x.buildTool === 'maven');
  const gradle = VARIANTS.find((x) => x.runtime.id === runtime && x.buildTool === 'gradle');
  if (!maven || !gradle) continue;
  t(`${runtime}: Gradle and Maven builds pin the same dependency versions`, async () => {
    const m = mavenVersions(readFileSync(join((await generate(maven, 'x86_64', ALL, { powertools: true, tracing: true })).dir, FN, 'pom.xml'), 'utf8'));
    const g = gradleVersions(readFileSync(join((await generate(gradle, 'x86_64', ALL, { powertools: true, tracing: true })).dir, FN, 'build.gradle.kts'), 'utf8'));
    const libraries = [...m].filter(([a]) => !a.startsWith('maven-'));
    assert.ok(libraries.length >= 5, `versions read from the pom: ${[...m]}`);
    for (const [artifact, version] of libraries) assert.is(g.get(artifact), version, `${artifact}: Gradle ${g.get(artifact)}, Maven ${version}`);
    for (const [artifact, version] of g) assert.is(m.get(artifact), version, `${artifact}: Gradle ${version}, Maven ${m.get(artifact)}`);
  });
}

t.run();
