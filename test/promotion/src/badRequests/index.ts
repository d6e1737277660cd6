import { BadRequest, BadRequestCatalogue } from './catalogue';
import { addBlobShaCases, addBodyCases } from './bodies';
import { addNameCases } from './names';
import { addVersionCases } from './versions';

export type { BadBody, BadRequest } from './catalogue';
export { ENTITY, inputKey, valid } from './catalogue';

/**
 * Bad `POST /v1/promotions` requests, each distinct, with the status and the message that says
 * what to fix. Shapes come from what clients and attackers send: tag grammar edges, YAML
 * special characters, Unicode confusables and invisible characters, path traversal spellings,
 * malformed entity refs, environment and cluster names, blob shas, and JSON bodies.
 */
export function badRequests(): BadRequest[] {
  const catalogue = new BadRequestCatalogue();
  addNameCases(catalogue);
  addVersionCases(catalogue);
  addBlobShaCases(catalogue);
  addBodyCases(catalogue);
  return catalogue.cases;
}
