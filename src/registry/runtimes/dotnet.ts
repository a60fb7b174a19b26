// .NET runtimes on the official Lambda base images, in C#: compiled in a build stage on the .NET SDK
// image, the final image holding the published assemblies only.
import type { Family, Language, Runtime } from '../runtimes.ts';

const language: Language = {
  id: 'csharp',
  label: 'C#',
  templates: 'dotnet',
  // Assembly::Namespace.Class::Method, as the .NET base image's CMD expects (src/App/Function.cs).
  handler: 'App::App.Function::FunctionHandler',
  test: 'dotnet test',
  powertools: true,
  toolchain: 'dotnet',
  marker: 'App.sln',
};

/** Template values: the SDK image tag of the build stage and the project's target framework. */
const vars = (major: string): Record<string, string> => ({
  version: major,
  dotnetVersion: `${major}.0`,
  targetFramework: `net${major}.0`,
});

const runtime = (major: string, deprecation: string): Runtime => ({
  id: `dotnet${major}`,
  label: `.NET ${major}`,
  baseImage: `public.ecr.aws/lambda/dotnet:${major}`,
  deprecation,
  languages: [language],
  vars: vars(major),
});

export const dotnet: Family = {
  runtimes: [
    runtime('10', '2028-11-14'),
  ],
  retired: [
    // Past its deprecation date, like every family's (AWS accepts function updates until 2027-03-03).
    { id: 'dotnet8', like: 'dotnet10', baseImage: 'public.ecr.aws/lambda/dotnet:8', deprecation: '2026-11-10', replacement: 'dotnet10', vars: vars('8') },
    { id: 'dotnet6', like: 'dotnet10', baseImage: 'public.ecr.aws/lambda/dotnet:6', deprecation: '2024-12-20', replacement: 'dotnet10', vars: vars('6') },
  ],
};
