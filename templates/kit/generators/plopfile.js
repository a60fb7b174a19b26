// Generators run only when the kit is trusted (--trust-kit). `project` runs once for a new project,
// `function` for every function; both write into an empty folder whose files join the project.
// Prefer templates/ for files: a generator is for what a template cannot do.
export default function (plop) {
  plop.setGenerator('project', {
    description: 'A Backstage catalog entry for the new project',
    prompts: [],
    actions: [
      {
        type: 'add',
        path: 'catalog-info.yaml',
        template: [
          'apiVersion: backstage.io/v1alpha1',
          'kind: Component',
          'metadata:',
          '  name: {{name}}',
          'spec:',
          '  type: service',
          '  lifecycle: experimental',
          '  owner: {{team}}',
          '',
        ].join('\n'),
      },
    ],
  });
}
