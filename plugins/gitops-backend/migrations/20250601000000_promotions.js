/**
 * Audit of promotion attempts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_promotions', table => {
    table.comment('Every promotion attempt, whatever its outcome');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 512).notNullable();
    table.string('actor', 512).notNullable();
    table.string('from_environment', 63).notNullable();
    table.string('to_environment', 63).notNullable();
    table.string('version', 300).nullable();
    table.text('targets').notNullable().comment('JSON array of cluster names');
    table.text('gates').notNullable().comment('JSON array of gate results');
    table
      .text('pull_requests')
      .notNullable()
      .comment('JSON array of pull requests');
    table.string('outcome', 16).notNullable();
    table.text('message').notNullable();
    table.boolean('dry_run').notNullable().defaultTo(false);
    table.boolean('rollback').notNullable().defaultTo(false);
    table.bigInteger('created_at').notNullable().comment('Epoch milliseconds');
    table.index(['entity_ref', 'created_at'], 'gitops_promotions_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_promotions');
};
