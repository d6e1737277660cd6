/** The GitOps nav icon (a branch), sized and colored like the text around it. */
export function GitopsIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      fill="currentColor"
      aria-hidden="true"
    >
      <path d="M7.1 15.2A3 3 0 1 1 5 15.1V8.9a3 3 0 1 1 2 0v3.3a4 4 0 0 1 3-1.2h4a2 2 0 0 0 2-2v-.1a3 3 0 1 1 2 0V9a4 4 0 0 1-4 4h-4a2 2 0 0 0-2 2v.2ZM6 7a1 1 0 1 0 0-2 1 1 0 0 0 0 2Zm0 12a1 1 0 1 0 0-2 1 1 0 0 0 0 2Zm11-12a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />
    </svg>
  );
}
