import type { Lang } from '../knowledge/types';

const DAY_NAMES: Record<Lang, Record<string, string>> = {
  es: { mon: 'el lunes', tue: 'el martes', wed: 'el miércoles', thu: 'el jueves', fri: 'el viernes', sat: 'el sábado', sun: 'el domingo' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
};

/** Everything the handoff says to a shopper, in their language. */
export const TEXTS = {
  es: {
    connecting: 'Te comunico con una persona de nuestro equipo. Te responderá aquí mismo, en este chat.',
    faqHandoff: 'Para revisar tu caso, te paso con una persona de nuestro equipo. Te responderá aquí mismo.',
    angryHandoff: 'Lamento mucho la molestia. Te paso con una persona de nuestro equipo para que lo resuelva contigo.',
    offer: '¿Quieres que te pase con una persona de nuestro equipo?',
    offerAccept: 'Sí, con una persona',
    offerDecline: 'No, sigo con el asistente',
    declined: 'De acuerdo, sigo aquí. Pregúntame con otras palabras y lo intento de nuevo.',
    closedNow: (opening: { weekday: string; time: string } | null) =>
      opening
        ? `Ahora mismo estamos fuera del horario de atención (volvemos ${DAY_NAMES.es[opening.weekday]} a las ${opening.time}).`
        : 'Ahora mismo estamos fuera del horario de atención.',
    nobodyOnline: 'Ahora mismo no hay nadie de nuestro equipo disponible.',
    nobodyLeft: 'Ahora mismo no queda nadie de nuestro equipo conectado. Puedes seguir esperando aquí o dejarnos un mensaje.',
    leaveMessageOption: 'Dejar un mensaje',
    leaveMessage: (promise: string) => `Déjame tus datos y tu mensaje, y te responderemos ${promise}. ¿Cuál es tu nombre? (Escribe «cancelar» para volver.)`,
    askEmail: (name: string) => `Gracias, ${name}. ¿A qué correo electrónico te escribimos?`,
    badEmail: 'Ese correo no parece válido. Escríbelo así: nombre@ejemplo.com',
    badName: 'Escribe tu nombre, por favor (máximo 80 caracteres).',
    askMessage: 'Perfecto. Ahora cuéntanos qué necesitas (si tienes número de pedido, inclúyelo).',
    ticketDone: (id: number, email: string, promise: string) =>
      `Listo: guardamos tu mensaje (ticket #${id}). Te responderemos a ${email} ${promise}. Mientras tanto puedo ayudarte con otras preguntas.`,
    formCancelled: 'Cancelado. ¿En qué más te puedo ayudar?',
    agentJoined: (name: string) => `${name} se unió a la conversación.`,
    agentLeft: (name: string) => `${name} se desconectó. Vuelves al principio de la fila; enseguida te atiende otra persona.`,
    resolved: (name: string) => `${name} marcó la conversación como resuelta. Si necesitas algo más, escríbeme.`,
    handedBack: (name: string) => `${name} te devolvió al asistente virtual. ¿En qué más te ayudo?`,
    transferred: (from: string, to: string) => `${from} te transfirió con ${to}.`,
  },
  en: {
    connecting: "I'm connecting you with a person on our team. They will reply right here, in this chat.",
    faqHandoff: "To look into your case, I'm passing you to a person on our team. They will reply right here.",
    angryHandoff: "I'm very sorry about this. I'm passing you to a person on our team to sort it out with you.",
    offer: 'Would you like me to pass you to a person on our team?',
    offerAccept: 'Yes, a person',
    offerDecline: 'No, keep the assistant',
    declined: "All right, I'm still here. Try asking in other words and I'll have another go.",
    closedNow: (opening: { weekday: string; time: string } | null) =>
      opening
        ? `We are outside our opening hours right now (back ${DAY_NAMES.en[opening.weekday]} at ${opening.time}).`
        : 'We are outside our opening hours right now.',
    nobodyOnline: 'Nobody on our team is available right now.',
    nobodyLeft: 'Nobody from our team is online right now. You can keep waiting here or leave us a message.',
    leaveMessageOption: 'Leave a message',
    leaveMessage: (promise: string) => `Leave your details and your message and we will reply ${promise}. What is your name? (Type "cancel" to go back.)`,
    askEmail: (name: string) => `Thank you, ${name}. Which e-mail address should we write to?`,
    badEmail: "That e-mail address doesn't look right. Write it like this: name@example.com",
    badName: 'Please type your name (80 characters at most).',
    askMessage: 'Great. Now tell us what you need (include your order number if you have it).',
    ticketDone: (id: number, email: string, promise: string) =>
      `Done: we saved your message (ticket #${id}). We will reply to ${email} ${promise}. Meanwhile I can help with other questions.`,
    formCancelled: 'Cancelled. What else can I help you with?',
    agentJoined: (name: string) => `${name} joined the conversation.`,
    agentLeft: (name: string) => `${name} got disconnected. You are back at the front of the line; someone else will be with you shortly.`,
    resolved: (name: string) => `${name} marked the conversation as resolved. If you need anything else, just write.`,
    handedBack: (name: string) => `${name} passed you back to the virtual assistant. What else can I help you with?`,
    transferred: (from: string, to: string) => `${from} transferred you to ${to}.`,
  },
} satisfies Record<Lang, Record<string, unknown>>;
