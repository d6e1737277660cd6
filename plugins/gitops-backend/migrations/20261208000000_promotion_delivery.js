/**
 * Promotions tracked to deployed: when the pull request was merged, when every target ran the
 * version Synced and Healthy (or failed), and how the delivery ended.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_promotions', table => {
    table
      .bigInteger('merged_at')
      .nullable()
      .comment('Epoch milliseconds: the pull request was merged');
    table
      .bigInteger('deployed_at')
      .nullable()
      .comment(
        'Epoch milliseconds: every target ran the version, Synced and Healthy',
      );
    table
      .bigInteger('failed_at')
      .nullable()
      .comment(
        'Epoch milliseconds: a target turned Degraded or its sync failed after the merge',
      );
    table
      .string('delivery', 16)
      .nullable()
      .comment(
        'deployed, failed or closed; null while the pull request is open or syncing',
      );
    table
      .text('delivery_message')
      .nullable()
      .comment('Why the delivery failed: cluster and message');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_promotions', table => {
    table.dropColumn('merged_at');
    table.dropColumn('deployed_at');
    table.dropColumn('failed_at');
    table.dropColumn('delivery');
    table.dropColumn('delivery_message');
  });
};
