// Ruby runtimes on the official Lambda base images; deprecation dates from AWS's runtime schedule.
import type { Family, Language, Runtime } from '../runtimes.ts';

const language: Language = {
  id: 'ruby',
  label: 'Ruby',
  templates: 'ruby',
  // file.method, as the base image's runtime interface client loads it: app.rb, def lambda_handler.
  handler: 'app.lambda_handler',
  // Rake and minitest ship with Ruby itself (bundled gems): the tests need no bundle install.
  test: 'rake test',
  powertools: false,
  toolchain: 'ruby',
  marker: 'Rakefile',
};

const runtime = (version: string, deprecation: string): Runtime => ({
  id: `ruby${version}`,
  label: `Ruby ${version}`,
  baseImage: `public.ecr.aws/lambda/ruby:${version}`,
  deprecation,
  languages: [language],
  // SAM's build image of the runtime: the same Ruby on Amazon Linux 2023, with a compiler, make and Ruby's
  // headers, for gems with native extensions.
  vars: { version, rubyVersion: version, buildImage: `public.ecr.aws/sam/build-ruby${version}:latest` },
});

export const ruby: Family = {
  runtimes: [runtime('4.0', '2029-03-31'), runtime('3.4', '2028-03-31'), runtime('3.3', '2027-03-31')],
  retired: [
    { id: 'ruby3.2', like: 'ruby3.4', baseImage: 'public.ecr.aws/lambda/ruby:3.2', deprecation: '2026-03-31', replacement: 'ruby3.4', vars: { version: '3.2', rubyVersion: '3.2' } },
  ],
};
