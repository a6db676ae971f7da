import type { Duplex } from 'node:stream';

/**
 * Frames sent to one socket in the same tick leave in one write. A turn sends the shopper's socket two
 * frames at once (the ack, the bot's answer) when its group commits, and each other tab of theirs two (the
 * shopper's message, the answer); one `writev` per frame was 9 % of the server's CPU under load. Call the
 * returned function before each send: the first call of a tick corks the TCP socket, and the socket is
 * uncorked once the tick's code is done.
 */
export function coalescingWrites(socket: Duplex): () => void {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    process.nextTick(uncork);
  };
}
