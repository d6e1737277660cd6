// the globals the app build provides to browser code written for Node
import process from 'process/browser';
import { Buffer } from 'buffer';

export { process, Buffer };
