import { commitTracker } from '../../src/store/postgres/acks';

/** A write whose commit the test decides. */
function write() {
  let commit!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    commit = resolve;
    fail = reject;
  });
  return { promise, commit, fail };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('an ack waits for every write issued before it, leaves in order, and not for writes issued after it', async () => {
  const { track, afterCommit } = commitTracker();
  const sent: string[] = [];
  afterCommit(() => sent.push('nothing pending'));
  expect(sent).toEqual(['nothing pending']); // at once

  const first = write();
  const second = write();
  track(first.promise);
  afterCommit(() => sent.push('after first'));
  track(second.promise);
  afterCommit(() => sent.push('after second'));
  const third = write();
  track(third.promise);

  second.commit();
  await settle();
  expect(sent).toEqual(['nothing pending']); // the first is still pending
  first.commit();
  await settle();
  expect(sent).toEqual(['nothing pending', 'after first', 'after second']); // the third does not hold them
  afterCommit(() => sent.push('after third'));
  third.fail(new Error('duplicate clientMessageId'));
  await third.promise.catch(() => undefined);
  await settle();
  expect(sent.at(-1)).toBe('after third'); // a failed write no longer holds anything back
});

test('allDone resolves once every write issued so far has settled', async () => {
  const { track, allDone } = commitTracker();
  const pending = write();
  track(pending.promise);
  let done = false;
  void allDone().then(() => (done = true));
  await settle();
  expect(done).toBe(false);
  pending.commit();
  await settle();
  expect(done).toBe(true);
});
