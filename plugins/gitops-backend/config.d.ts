export interface Config {
  /** Configuration of the GitOps suite. */
  gitops?: {};
}
