// Resolves ESM-only packages (exports with only an "import" condition, such as
// @kubernetes-models/* and @octokit/*) for Jest, which asks for "require".
// Backstage's Jest transform turns their ESM into CommonJS afterwards.
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
