import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Every user-visible string of the GitOps tab, card and promote dialog.
 *
 * @public
 */
export const gitopsTranslationRef = createTranslationRef({
  id: 'plugin.gitops',
  messages: {
    content: {
      title: 'GitOps',
      loading: 'Loading deployment state',
      updatedAt: 'Updated {{time}}',
      refresh: 'Refresh',
      staleError:
        'Showing the last state received; refreshing failed: {{message}}',
    },
    notConfigured: {
      title: 'GitOps is not configured for this entity',
      description:
        'Add an annotation that selects the Argo CD Applications of this entity to its catalog-info.yaml, for example:',
    },
    loadError: {
      title: 'Could not load the deployment state',
      titleWithMessage: 'Could not load the deployment state: {{message}}',
    },
    readiness: {
      title: 'Readiness',
      description:
        'The minimum safe deployment standard, checked per environment. A check that cannot be evaluated says why; it never passes by default.',
      summary: '{{fail}} failing, {{unknown}} unknown, {{pass}} passing',
      check: 'Check',
      result: 'Result',
      reason: 'Found',
      severity: 'Severity',
      howToFix: 'How to fix: {{fix}}',
      results: { pass: 'Pass', fail: 'Fail', unknown: 'Unknown' },
      severities: { error: 'Error', warning: 'Warning', info: 'Info' },
    },
    sourceErrors: {
      title_one: '1 source could not be read: the data below is partial',
      title_other:
        '{{count}} sources could not be read: the data below is partial',
      item: '{{source}} ({{kind}}): {{message}}',
      since: 'failing since {{time}}',
    },
    pipeline: {
      title: 'Pipeline',
      noVersion: 'no version',
      upToDate: 'up to date with {{environment}}',
      behind: 'behind {{environment}}',
      versionsBehind_one: '1 version behind {{environment}}',
      versionsBehind_other: '{{count}} versions behind {{environment}}',
      ahead: 'differs from {{environment}}',
      skew: 'clusters on different versions',
    },
    matrix: {
      title: 'Environments and clusters',
      noClusters: 'No clusters are configured for this environment.',
      notDeployed: 'No Application of this entity lands on this cluster.',
      live: 'Live',
      desired: 'Desired',
      skew: 'Skew: live differs from desired',
      revision: 'Revision',
      lastSynced: 'Last synced',
      never: 'never',
      unknown: 'unknown',
      operation: 'Operation',
      operationFailed: 'Sync {{phase}}',
      failedResource: '{{resource}} failed',
      failedHook: '{{hookType}} hook {{resource}} failed',
      unknownBecause: 'unknown: {{reason}}',
      openInArgoCd: 'Open {{application}} in Argo CD',
      sourceFailed: 'Source failed',
      desiredSource: 'Desired version from',
      grid: {
        label: 'Clusters of {{environment}}',
        cluster: 'Cluster',
        sync: 'Sync',
        health: 'Health',
        notDeployed: 'not deployed',
      },
      rangeResolved: '{{range}} (resolved: {{version}})',
      fromApplicationSet: 'from ApplicationSet {{name}}',
    },
    status: {
      syncLabel: 'Sync:',
      healthLabel: 'Health:',
    },
    drift: {
      title: 'Drift',
      summary_one: '1 difference from Git',
      summary_other: '{{count}} differences from Git',
      none: 'No drift',
      outOfSync: 'Out of sync',
      requiresPruning: 'Requires pruning',
      missing: 'Missing from the cluster',
      comparisonErrors: 'Comparison errors',
      warnings: 'Warnings',
      listed: '{{shown}} of {{total}} shown',
      expected:
        'Expected drift (caused by controllers, for example autoscalers)',
      kind: 'Kind',
      namespace: 'Namespace',
      name: 'Name',
      status: 'Status',
    },
    history: {
      title: 'History of {{environment}}',
      loading: 'Loading history',
      empty: 'No deployments recorded yet.',
      loadError: 'Could not load the history',
      deployedAt: 'Deployed',
      cluster: 'Cluster',
      version: 'Version',
      revision: 'Revision',
      compare: 'Compare',
      compareLink: 'Changes',
    },
    promote: {
      button: 'Promote to {{environment}}',
      notPermitted:
        'You are not allowed to promote this entity. Ask one of its owners or a release owner.',
      checkingPermission: 'Checking permission to promote',
      dialogTitle: 'Promote {{from}} to {{to}}',
      version: 'Version to promote',
      versionDescription:
        'Defaults to what {{from}} runs; a version {{to}} ran before rolls it back.',
      versionRunning: '{{version}} (runs in {{environment}})',
      versionHistory: '{{version}} (deployed {{time}})',
      versionRollback:
        'Roll back to {{version}} ({{environment}} ran it {{time}})',
      versionRollbackUndated:
        'Roll back to {{version}} ({{environment}} ran it before)',
      sectionRunning: 'Runs in {{environment}}',
      sectionRollback: 'Roll back {{environment}}',
      sectionHistory: 'Ran earlier in {{environment}}',
      historyUnavailable:
        'The history of {{environment}} could not be read, so its earlier versions are not offered: {{message}}',
      rollbackNotice: 'Rollback of {{environment}} to {{version}}',
      rollbackNoticeDescription:
        '{{version}} is not what {{from}} runs: instead of its health, the gates check that {{version}} ran before.',
      gates: 'Gates',
      gatePassed: 'Passed',
      gateFailed: 'Failed',
      diff: 'Changes',
      noop: '{{environment}} already has this version: nothing to change.',
      wave: 'Wave {{index}}: {{clusters}}',
      cancel: 'Cancel',
      close: 'Close',
      confirm: 'Open pull request',
      retry: 'Try again',
      progress: 'Progress',
      steps: {
        planning: 'Planning',
        gates: 'Checking gates',
        pullRequest: 'Opening pull request',
      },
      stepStatus: {
        pending: 'pending',
        active: 'in progress',
        done: 'done',
        failed: 'failed',
      },
      result: {
        opened: 'Pull request opened',
        updated: 'Existing pull request updated',
        noop: 'Nothing to promote',
        blocked: 'Blocked by a gate',
        failed: 'Promotion failed',
      },
      pullRequest: 'Pull request #{{number}} ({{action}})',
      superseded: 'Superseded #{{number}} ({{action}})',
    },
    tracking: {
      label: 'Promotion',
      stage: {
        open: 'Pull request open',
        syncing: 'Merged, syncing',
        deployed: 'Deployed',
        failed: 'Failed after merge',
        closed: 'Closed without merging',
      },
      pullRequest: '#{{number}} ({{version}})',
      wave: 'wave {{wave}}, opened',
      checks: {
        success: 'Checks passed ({{total}})',
        failure: '{{failed}} of {{total}} checks failed',
        pending: '{{pending}} of {{total}} checks pending',
        none: 'No checks reported',
        unknown: 'Checks not read yet',
      },
      mergeable: {
        yes: 'mergeable ({{state}})',
        no: 'not mergeable ({{state}})',
        unknown: 'mergeability not computed yet',
      },
      syncing:
        '{{done}} of {{total}} clusters run {{version}} Synced and Healthy',
      deployed: 'Opened to merged: {{merged}}; merged to healthy: {{healthy}}',
      failed: 'After the merge: {{reason}}',
      noReason: 'a target turned Degraded or its sync failed',
      closed: 'The pull request was closed without merging.',
      readError:
        'GitHub could not be read, showing the last known stage: {{message}}',
    },
    card: {
      title: 'Deployments',
      viewAll: 'View GitOps details',
    },
  },
});
