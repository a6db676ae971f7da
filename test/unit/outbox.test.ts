import { Outbox } from '../../web-widget/src/outbox';

type Frame = { clientMessageId: string; text: string };

function outboxOnOpenSocket(): { outbox: Outbox<Frame>; sent: string[]; socket: { open: boolean } } {
  const sent: string[] = [];
  const socket = { open: true };
  const outbox = new Outbox<Frame>({ send: (frame) => sent.push(frame.clientMessageId), isOpen: () => socket.open });
  return { outbox, sent, socket };
}

const frame = (id: string): Frame => ({ clientMessageId: id, text: `pregunta ${id}` });

describe('the widget’s outbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a message at once and keeps it until the server settles it', () => {
    const { outbox, sent } = outboxOnOpenSocket();
    outbox.add(frame('a'));
    expect(sent).toEqual(['a']);
    expect(outbox.size).toBe(1);
    outbox.settle('a');
    expect(outbox.size).toBe(0);
  });

  it('keeps what is typed offline and sends everything unsettled once a new socket is greeted', () => {
    const { outbox, sent, socket } = outboxOnOpenSocket();
    outbox.add(frame('a'));
    socket.open = false;
    outbox.add(frame('b'));
    expect(sent).toEqual(['a']);
    socket.open = true;
    outbox.resendAll();
    expect(sent).toEqual(['a', 'a', 'b']);
  });

  it('after a busy wait re-sends held messages oldest first, each once the one before is settled', () => {
    const { outbox, sent } = outboxOnOpenSocket();
    outbox.add(frame('a'));
    outbox.holdFor(1000);
    outbox.add(frame('b'));
    outbox.add(frame('c'));
    expect(sent).toEqual(['a']);
    // The wait is retryAfterMs plus up to half again.
    jest.advanceTimersByTime(999);
    expect(sent).toEqual(['a']);
    jest.advanceTimersByTime(501);
    expect(sent).toEqual(['a', 'a']);
    outbox.settle('a');
    expect(sent).toEqual(['a', 'a', 'b']);
    outbox.add(frame('d'));
    expect(sent).toEqual(['a', 'a', 'b']);
    outbox.settle('b');
    outbox.settle('c');
    outbox.settle('d');
    expect(sent).toEqual(['a', 'a', 'b', 'c', 'd']);
    // Emptied: messages go out as they are added again.
    outbox.add(frame('e'));
    expect(sent).toEqual(['a', 'a', 'b', 'c', 'd', 'e']);
  });

  it('sends nothing when the wait ends on a closed socket, and a new socket starts with no wait', () => {
    const { outbox, sent, socket } = outboxOnOpenSocket();
    outbox.add(frame('a'));
    outbox.holdFor(1000);
    socket.open = false;
    jest.advanceTimersByTime(1500);
    expect(sent).toEqual(['a']);
    outbox.reset();
    socket.open = true;
    outbox.add(frame('b'));
    expect(sent).toEqual(['a', 'b']);
  });

  it('forgets everything when cleared, including a wait under way', () => {
    const { outbox, sent } = outboxOnOpenSocket();
    outbox.add(frame('a'));
    outbox.holdFor(1000);
    outbox.clear();
    jest.advanceTimersByTime(1500);
    expect(outbox.size).toBe(0);
    expect(sent).toEqual(['a']);
  });
});
