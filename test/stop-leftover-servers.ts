import { stopLeftoverServers } from './helpers/app';

// A test that fails half-way never reaches its own stop(): without this its server keeps jest from exiting.
afterAll(stopLeftoverServers);
