/**
 * The audit table holds only real attempts: dry runs (previews) are events of the auditor service
 * now, and the rows earlier versions stored for them are removed. Denials stored by earlier
 * versions are kept: they were attempts, and that record is evidence.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('gitops_promotions').where({ dry_run: true }).delete();
};

/**
 * Removed previews cannot be brought back.
 */
exports.down = async function down() {};
