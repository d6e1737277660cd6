import yaml from 'yaml';
import { examples } from './promote.examples';

describe('gitops:promote examples', () => {
  it.each(examples.map(e => [e.description, e] as const))(
    '%s uses the action with valid input',
    (_d, example) => {
      const { steps } = yaml.parse(example.example);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        expect(step.action).toBe('gitops:promote');
        expect(step.input.entityRef).toMatch(/^component:default\/[a-z-]+$/);
        expect(['staging', 'prod']).toContain(step.input.to);
      }
    },
  );
});
