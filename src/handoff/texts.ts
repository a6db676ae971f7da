import type { Lang } from '../knowledge/types';
import type { ShopMoment } from './hours';

export const DAY_NAMES: Record<Lang, Record<string, string>> = {
  es: { mon: 'lunes', tue: 'martes', wed: 'miércoles', thu: 'jueves', fri: 'viernes', sat: 'sábado', sun: 'domingo' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
};
const MONTH_NAMES: Record<Lang, string[]> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "lunes" / "Monday" within the coming week; past it (a closed season), the date too: "lunes 4 de enero". */
function dayName(moment: ShopMoment, lang: Lang): string {
  const weekday = DAY_NAMES[lang][moment.weekday];
  if (moment.daysAhead < 7) return weekday;
  const [, month, day] = moment.date.split('-').map(Number);
  return lang === 'es' ? `${weekday} ${day} de ${MONTH_NAMES.es[month - 1]}` : `${weekday}, ${MONTH_NAMES.en[month - 1]} ${day}`;
}

const zoneNames = new Map<string, string>();

/** "hora de Ciudad de México" / "CST", from the platform's time zone names; computed once per zone and language. */
export function zoneName({ timeZone }: { timeZone: string }, lang: Lang): string {
  const key = `${lang} ${timeZone}`;
  let name = zoneNames.get(key);
  if (name === undefined) {
    const part = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: 'shortGeneric' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
    name = part?.value ?? timeZone;
    // Spanish names read "hora de Chile"; short ones ("CET", "GMT+0") need the word.
    if (lang === 'es' && !name.startsWith('hora')) name = `hora ${name}`;
    zoneNames.set(key, name);
  }
  return name;
}

/** Everything the handoff says to a shopper, in their language. */
export const TEXTS = {
  es: {
    connecting: 'Te comunico con una persona de nuestro equipo. Te responderá aquí mismo, en este chat.',
    faqHandoff: 'Para revisar tu caso, te paso con una persona de nuestro equipo. Te responderá aquí mismo.',
    angryHandoff: 'Lamento mucho la molestia. Te paso con una persona de nuestro equipo para que lo resuelva contigo.',
    offer: '¿Quieres que te pase con una persona de nuestro equipo?',
    offerMessage: (why: string, promise: string) => `${why} ¿Quieres dejarnos un mensaje? Una persona del equipo te responderá por correo ${promise}.`,
    offerAccept: 'Sí, con una persona',
    offerDecline: 'No, sigo con el asistente',
    declined: 'De acuerdo, sigo aquí. Pregúntame con otras palabras y lo intento de nuevo.',
    closedNow: (opening: ShopMoment | null) =>
      opening
        ? `Ahora mismo estamos fuera del horario de atención (volvemos ${opening.daysAhead === 0 ? 'hoy' : opening.daysAhead === 1 ? 'mañana' : `el ${dayName(opening, 'es')}`} a las ${opening.time}, ${zoneName(opening, 'es')}).`
        : 'Ahora mismo estamos fuera del horario de atención.',
    nobodyOnline: 'Ahora mismo no hay nadie de nuestro equipo disponible.',
    sorry: 'Lamento mucho la molestia; lo tomamos en serio.',
    nobodyLeft: 'Ahora mismo no queda nadie de nuestro equipo conectado. Puedes seguir esperando aquí o dejarnos un mensaje.',
    leaveMessageOption: 'Dejar un mensaje',
    leaveMessage: (promise: string) => `Déjanos tu mensaje y te respondemos por correo ${promise}. ¿Cuál es tu nombre?`,
    askName: '¿Cuál es tu nombre?',
    askEmail: (name: string) => `Gracias, ${name}. ¿A qué correo electrónico te escribimos?`,
    askEmailAgain: (name: string) => `${name}, ¿a qué correo electrónico te escribimos?`,
    badEmail: 'Ese correo no parece válido. Escríbelo así: nombre@ejemplo.com (sin espacios ni comillas).',
    badName: 'Escribe solo tu nombre, por favor (máximo 80 caracteres).',
    askMessage: (email: string) =>
      `Te escribiremos a ${email}; si no es correcto, toca «Cambiar correo». Ahora cuéntanos qué necesitas (si tienes número de pedido, inclúyelo). Lo que ya escribiste en este chat también nos llega: basta con un resumen.`,
    formCancel: 'Cancelar',
    formChangeEmail: 'Cambiar correo',
    stillNobody: (why: string) => `${why} Por eso te pedimos un mensaje. Sigamos.`,
    reofferForm: '¿Aún quieres dejarnos tu mensaje para que te escribamos? Toca «Dejar un mensaje».',
    nothingToCancel: 'No hay nada que cancelar. ¿En qué te puedo ayudar?',
    formClosed: 'Ese mensaje ya quedó enviado o cancelado. Si quieres dejarnos otro (por ejemplo, con otro correo), toca «Dejar un mensaje».',
    peopleNow: 'Si prefieres, una persona de nuestro equipo puede atenderte ahora mismo.',
    peopleLater: (why: string, promise: string) => `${why} Si nos dejas un mensaje, te respondemos por correo ${promise}.`,
    replyBy: (deadline: ShopMoment | null) =>
      deadline === null
        ? 'lo antes posible'
        : deadline.daysAhead === 0
          ? `hoy antes de las ${deadline.time} (${zoneName(deadline, 'es')})`
          : deadline.daysAhead === 1
            ? `mañana antes de las ${deadline.time} (${zoneName(deadline, 'es')})`
            : `antes de las ${deadline.time} del ${dayName(deadline, 'es')} (${zoneName(deadline, 'es')})`,
    ticketDone: (id: number, email: string, promise: string) =>
      `Listo: guardamos tu mensaje (ticket #${id}). Te responderemos a ${email} ${promise}. Mientras tanto puedo ayudarte con otras preguntas.`,
    formCancelled: 'Cancelado. ¿En qué más te puedo ayudar?',
    ticketPending: (id: number, email: string, promise: string) =>
      `Ya tenemos tu mensaje (ticket #${id}) y te responderemos a ${email} ${promise}. Lo que escribas aquí lo verá el equipo junto con tu mensaje. Si quieres dejar otro (por ejemplo, con otro correo), toca «Dejar un mensaje».`,
    agentJoined: (name: string) => `${name} se unió a la conversación.`,
    // No promise of another person: whether anyone is online is told next (who joins, or "no queda nadie").
    agentLeft: (name: string) => `${name} se desconectó. Vuelves al principio de la fila.`,
    resolved: (name: string) =>
      `${name} marcó la conversación como resuelta. Si escribes de nuevo, te responde el asistente automático; para volver con una persona, pide «hablar con una persona».`,
    handedBack: (name: string) => `${name} te devolvió al asistente virtual. ¿En qué más te ayudo?`,
    transferred: (from: string, to: string) => `${from} te transfirió con ${to}.`,
  },
  en: {
    connecting: "I'm connecting you with a person on our team. They will reply right here, in this chat.",
    faqHandoff: "To look into your case, I'm passing you to a person on our team. They will reply right here.",
    angryHandoff: "I'm very sorry about this. I'm passing you to a person on our team to sort it out with you.",
    offer: 'Would you like me to pass you to a person on our team?',
    offerMessage: (why: string, promise: string) => `${why} Would you like to leave us a message? Someone on our team will reply by e-mail ${promise}.`,
    offerAccept: 'Yes, a person',
    offerDecline: 'No, keep the assistant',
    declined: "All right, I'm still here. Try asking in other words and I'll have another go.",
    closedNow: (opening: ShopMoment | null) =>
      opening
        ? `We are outside our opening hours right now (back ${opening.daysAhead === 0 ? 'today' : opening.daysAhead === 1 ? 'tomorrow' : dayName(opening, 'en')} at ${opening.time} ${zoneName(opening, 'en')}).`
        : 'We are outside our opening hours right now.',
    nobodyOnline: 'Nobody on our team is available right now.',
    sorry: "I'm very sorry about this, and we take it seriously.",
    nobodyLeft: 'Nobody from our team is online right now. You can keep waiting here or leave us a message.',
    leaveMessageOption: 'Leave a message',
    leaveMessage: (promise: string) => `Leave us a message and we will reply by e-mail ${promise}. What is your name?`,
    askName: 'What is your name?',
    askEmail: (name: string) => `Thank you, ${name}. Which e-mail address should we write to?`,
    askEmailAgain: (name: string) => `${name}, which e-mail address should we write to?`,
    badEmail: "That e-mail address doesn't look right. Write it like this: name@example.com (no spaces or quotes).",
    badName: 'Please type just your name (80 characters at most).',
    askMessage: (email: string) =>
      `We will write to ${email}; if that is not right, tap "Change e-mail". Now tell us what you need (include your order number if you have it). What you already wrote in this chat reaches us too: a summary will do.`,
    formCancel: 'Cancel',
    formChangeEmail: 'Change e-mail',
    stillNobody: (why: string) => `${why} That is why we ask for a message. Let's go on.`,
    reofferForm: 'Do you still want to leave us a message so we can write to you? Tap "Leave a message".',
    nothingToCancel: 'There is nothing to cancel. What can I help you with?',
    formClosed: 'That message was already sent or cancelled. To leave us another one (with another e-mail, say), tap "Leave a message".',
    peopleNow: 'If you prefer, a person on our team can help you right now.',
    peopleLater: (why: string, promise: string) => `${why} If you leave us a message, we will reply by e-mail ${promise}.`,
    replyBy: (deadline: ShopMoment | null) =>
      deadline === null
        ? 'as soon as we can'
        : deadline.daysAhead === 0
          ? `today before ${deadline.time} ${zoneName(deadline, 'en')}`
          : deadline.daysAhead === 1
            ? `tomorrow before ${deadline.time} ${zoneName(deadline, 'en')}`
            : `before ${deadline.time} ${zoneName(deadline, 'en')} on ${dayName(deadline, 'en')}`,
    ticketDone: (id: number, email: string, promise: string) =>
      `Done: we saved your message (ticket #${id}). We will reply to ${email} ${promise}. Meanwhile I can help with other questions.`,
    formCancelled: 'Cancelled. What else can I help you with?',
    ticketPending: (id: number, email: string, promise: string) =>
      `We already have your message (ticket #${id}) and will reply to ${email} ${promise}. Whatever you write here, the team will see with your message. To leave another one (with another e-mail, say), tap "Leave a message".`,
    agentJoined: (name: string) => `${name} joined the conversation.`,
    agentLeft: (name: string) => `${name} got disconnected. You are back at the front of the line.`,
    resolved: (name: string) =>
      `${name} marked the conversation as resolved. If you write again, the automatic assistant answers; to get back to a person, ask to "talk to a person".`,
    handedBack: (name: string) => `${name} passed you back to the virtual assistant. What else can I help you with?`,
    transferred: (from: string, to: string) => `${from} transferred you to ${to}.`,
  },
} satisfies Record<Lang, Record<string, unknown>>;
