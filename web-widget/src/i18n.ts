export type UiLang = 'es' | 'en';

export const UI_TEXT = {
  es: {
    open: 'Abrir el chat de ayuda',
    close: 'Cerrar el chat',
    title: 'Ayuda',
    botStatus: 'Asistente virtual · responde al instante',
    placeholder: 'Escribe tu pregunta…',
    inputLabel: 'Tu mensaje',
    send: 'Enviar',
    human: 'Hablar con una persona',
    humanRequested: 'Buscando a una persona…',
    suggestions: 'Preguntas frecuentes',
    related: 'También te puede interesar',
    helpful: '¿Te sirvió?',
    yes: 'Sí, me sirvió',
    no: 'No me sirvió',
    thanks: '¡Gracias por tu opinión!',
    typing: 'Escribiendo…',
    you: 'Tú',
    bot: 'Asistente',
    agent: 'Equipo',
    connecting: 'Conectando…',
    reconnecting: 'Sin conexión. Reintentando…',
    waiting: 'Buscando a una persona del equipo…',
    position: (n: number) => `Estás en el lugar ${n} de la fila.`,
    eta: (minutes: number) => (minutes <= 1 ? 'Espera estimada: menos de 1 minuto.' : `Espera estimada: unos ${minutes} minutos.`),
    withAgent: (name?: string) => (name ? `Te atiende ${name}` : 'Te atiende una persona del equipo'),
    resolved: 'Conversación cerrada. Puedes escribir de nuevo cuando quieras.',
    notSent: 'No se pudo enviar',
    errors: {
      rate_limited: 'Vas muy rápido: espera un momento y vuelve a intentarlo.',
      message_too_long: 'El mensaje es demasiado largo.',
      unknown_choice: 'Esa opción ya no está disponible.',
      generic: 'Algo salió mal. Inténtalo de nuevo.',
    },
    newMessages: (n: number) => `${n} mensaje${n === 1 ? '' : 's'} nuevo${n === 1 ? '' : 's'}`,
  },
  en: {
    open: 'Open the help chat',
    close: 'Close the chat',
    title: 'Help',
    botStatus: 'Virtual assistant · answers instantly',
    placeholder: 'Type your question…',
    inputLabel: 'Your message',
    send: 'Send',
    human: 'Talk to a person',
    humanRequested: 'Finding a person…',
    suggestions: 'Frequent questions',
    related: 'You may also want to know',
    helpful: 'Was this helpful?',
    yes: 'Yes, it helped',
    no: 'No, it did not help',
    thanks: 'Thanks for your feedback!',
    typing: 'Typing…',
    you: 'You',
    bot: 'Assistant',
    agent: 'Team',
    connecting: 'Connecting…',
    reconnecting: 'Offline. Retrying…',
    waiting: 'Finding a person from our team…',
    position: (n: number) => `You are number ${n} in the queue.`,
    eta: (minutes: number) => (minutes <= 1 ? 'Estimated wait: under a minute.' : `Estimated wait: about ${minutes} minutes.`),
    withAgent: (name?: string) => (name ? `You are chatting with ${name}` : 'You are chatting with a person from our team'),
    resolved: 'Conversation closed. Write again any time.',
    notSent: 'Could not send',
    errors: {
      rate_limited: 'You are going too fast: wait a moment and try again.',
      message_too_long: 'The message is too long.',
      unknown_choice: 'That option is no longer available.',
      generic: 'Something went wrong. Please try again.',
    },
    newMessages: (n: number) => `${n} new message${n === 1 ? '' : 's'}`,
  },
};

export type UiText = (typeof UI_TEXT)['es'];

/** The data-lang option, else the page's <html lang>, else Spanish. */
export function chooseUiLang(option: string | undefined, pageLang: string): UiLang {
  const pick = (value: string | undefined) => (value?.toLowerCase().startsWith('en') ? 'en' : value?.toLowerCase().startsWith('es') ? 'es' : null);
  return pick(option) ?? pick(pageLang) ?? 'es';
}
