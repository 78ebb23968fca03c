import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';

/**
 * A `fetch` for `useChat`'s transport that keeps the user waiting while the route answers 202 (a manager has not
 * decided yet): it asks again until the route streams the continuation.
 */
export function waitingFetch(
  onWaiting: (requests: { toolName: string; requestId?: string }[]) => void,
): typeof fetch {
  return async (input, init) => {
    for (;;) {
      const response = await fetch(input, init);
      if (response.status !== 202) return response;
      const body = (await response.json()) as {
        requests: { toolName: string; requestId?: string }[];
      };
      onWaiting(body.requests);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
}

/** Sends the chat to the route the way `useChat` does and returns the history with the assistant's reply. */
export async function sendChat(
  api: string,
  chatId: string,
  messages: UIMessage[],
  fetchImpl: typeof fetch,
): Promise<UIMessage[]> {
  const transport = new DefaultChatTransport<UIMessage>({ api, fetch: fetchImpl });
  const stream = await transport.sendMessages({
    chatId,
    messages,
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal: undefined,
  });
  const last = messages.at(-1);
  const continuing = last?.role === 'assistant' ? last : undefined;
  let reply: UIMessage | undefined;
  for await (const message of readUIMessageStream<UIMessage>({
    stream,
    ...(continuing ? { message: continuing } : {}),
  })) {
    reply = message;
  }
  if (reply === undefined) throw new Error('The route sent no message');
  return continuing ? [...messages.slice(0, -1), reply] : [...messages, reply];
}

/** One line per part of an assistant message, for the console. */
export function describeMessage(message: UIMessage | undefined): string[] {
  if (message === undefined) return [];
  return message.parts.flatMap((part) => {
    if (part.type === 'text') return [`  assistant: ${part.text}`];
    if (!part.type.startsWith('tool-')) return [];
    const tool = part as {
      type: string;
      state: string;
      approval?: { requestReason?: string; reason?: string; approved?: boolean };
    };
    const detail = tool.state.startsWith('approval')
      ? (tool.approval?.reason ?? tool.approval?.requestReason ?? '')
      : '';
    return [`  ${tool.type}: ${tool.state}${detail ? ` (${detail})` : ''}`];
  });
}
