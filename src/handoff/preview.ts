/** The line under a chat in the agent console: the start of the shopper's latest message. */
export function chatPreview(text: string): string {
  return text.slice(0, 140);
}
