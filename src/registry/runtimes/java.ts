// Java runtimes on the official Lambda base images; the handler is compiled with Maven or Gradle in
// a build stage on Amazon Corretto (templates/functions/java-maven, java-gradle).
import type { Family, Language, Runtime } from '../runtimes.ts';

const language: Language = {
  id: 'java',
  label: 'Java',
  templates: 'java',
  buildTools: [
    { id: 'maven', label: 'Maven', test: 'mvn test', marker: 'pom.xml' },
    { id: 'gradle', label: 'Gradle', test: 'gradle test', marker: 'build.gradle.kts' },
  ],
  handler: 'example.App::handleRequest',
  test: 'mvn test',
  powertools: true,
  toolchain: 'java',
  marker: 'pom.xml',
};

/** Docker official images, mirrored on ECR Public (no Docker Hub rate limit). */
const LIBRARY = 'public.ecr.aws/docker/library';

/**
 * Template values: the Java release javac compiles for, the build-stage images with a JDK that can
 * (Corretto on Amazon Linux 2023; Gradle 9 runs on JDK 17 and later, Gradle 8 before), and the JUnit
 * the tests run with (JUnit 6 needs Java 17; 5.14 is the last line for Java 8 and 11).
 */
function vars(version: string, jdk = version): Record<string, string> {
  return {
    version,
    javaRelease: version,
    junitVersion: Number(version) >= 17 ? '6.1.3' : '5.14.4',
    mavenImage: `${LIBRARY}/maven:3-amazoncorretto-${jdk}-al2023`,
    gradleImage: `${LIBRARY}/gradle:${Number(jdk) >= 17 ? 9 : 8}-jdk${jdk}-corretto`,
  };
}

const runtime = (version: string, deprecation: string): Runtime => ({
  id: `java${version}`,
  label: `Java ${version}`,
  baseImage: `public.ecr.aws/lambda/java:${version}`,
  deprecation,
  languages: [language],
  vars: vars(version),
});

const AL2 = 'it runs on Amazon Linux 2, which reached end of life on 2026-06-30 (AWS deprecates it on 2027-06-30)';

export const java: Family = {
  runtimes: [runtime('25', '2029-06-30'), runtime('21', '2029-06-30'), runtime('17', '2027-06-30')],
  retired: [
    { id: 'java11', like: 'java21', baseImage: 'public.ecr.aws/lambda/java:11', deprecation: '2027-06-30', reason: AL2, replacement: 'java21', vars: vars('11') },
    // javac 8 has no --release option: a JDK 11 build image compiles for Java 8.
    { id: 'java8.al2', like: 'java21', baseImage: 'public.ecr.aws/lambda/java:8.al2', deprecation: '2027-06-30', reason: AL2, replacement: 'java21', vars: vars('8', '11') },
  ],
};
