import type { Store } from './types';

/** Resolves once every write issued so far is durable; rejects when the commit that carried them failed. */
export function committed(store: Pick<Store, 'afterCommit'>): Promise<void> {
  return new Promise((resolve, reject) => store.afterCommit(resolve, reject));
}
