import axe from 'axe-core';

/**
 * Structural accessibility checks (names, roles, headings, ARIA). Color contrast needs a real
 * layout engine and is checked by the Playwright axe run instead.
 */
export async function seriousViolations(root: Element) {
  const results = await axe.run(root, {
    runOnly: {
      type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
    },
    rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
  });
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.nodes.map(n => n.html).join(' | ')}`);
}
