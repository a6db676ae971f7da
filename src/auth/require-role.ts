import type { NextFunction, Request, Response } from 'express';
import { AtentoError } from '../errors';
import { roleAllows, type Agent, type AgentRole, type AgentStore } from '../store';
import { sessionAgent } from './sessions';

/**
 * Express middleware for every route of the editor and admin pages: the session cookie must name an
 * agent whose role is `needed` or higher (agent < editor < admin), else 401 `login_required` or
 * 403 `role_forbidden`. The agent is then in `res.locals.agent`.
 */
export function requireRole(agents: AgentStore, needed: AgentRole) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const agent = await sessionAgent(agents, req.headers.cookie);
    if (!agent) return next(new AtentoError('login_required'));
    if (!roleAllows(agent.role, needed)) return next(new AtentoError('role_forbidden', `This needs the ${needed} role; ask an admin (atento agent role --email E --role ${needed}).`));
    res.locals.agent = agent;
    next();
  };
}

export function sessionAgentOf(res: Response): Agent {
  return res.locals.agent as Agent;
}
