// Resolves ESM-only packages (exports with only an "import" condition, such as
// @kubernetes-models/* and @octokit/*) for Jest, which asks for "require".
// Backstage's Jest transform turns their ESM into CommonJS afterwards.
// The packages using it set their own Jest `id`: a Jest worker keeps one resolver per config id,
// and Backstage's CLI derives the id from the transform alone, so without it a worker could
// resolve these packages with another project's resolver (or this one for theirs).
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch {
    const conditions = [
      ...(options.conditions ?? ['require', 'node']),
      'import',
    ];
    return options.defaultResolver(request, { ...options, conditions });
  }
};
