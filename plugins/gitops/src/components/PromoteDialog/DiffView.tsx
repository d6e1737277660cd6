import { Box } from '@backstage/ui';

function lineStyle(line: string) {
  if (line.startsWith('+') && !line.startsWith('+++')) {
    return {
      background: 'var(--bui-positive-bg-subdued)',
      color: 'var(--bui-positive-fg-subdued)',
    };
  }
  if (line.startsWith('-') && !line.startsWith('---')) {
    return {
      background: 'var(--bui-negative-bg-subdued)',
      color: 'var(--bui-negative-fg-subdued)',
    };
  }
  return undefined;
}

/** A unified diff; the `+`/`-` markers stay visible, so color is not the only signal. */
export function DiffView(props: { diff: string; label: string }) {
  const lines = props.diff.replace(/\n$/, '').split('\n');
  return (
    <Box
      as="pre"
      aria-label={props.label}
      p="2"
      style={{
        fontFamily: 'var(--bui-font-monospace)',
        fontSize: '0.8125rem',
        background: 'var(--bui-bg-neutral-2)',
        borderRadius: 'var(--bui-radius-2)',
        overflowX: 'auto',
        margin: 0,
      }}
    >
      <code>
        {lines.map((line, index) => (
          <span key={index} style={{ display: 'block', ...lineStyle(line) }}>
            {line || ' '}
          </span>
        ))}
      </code>
    </Box>
  );
}
