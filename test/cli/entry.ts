import { main } from '../../src/cli';

void main(process.argv.slice(2));
