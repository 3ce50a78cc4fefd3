// The notifications' texts, in both of the console's languages. Every text has both
// translations, or the build fails.
import { type Locale, useDictionary } from "../i18n";

const en = {
  bell: "Notifications, {count} unread",
  "center.title": "Notifications",
  "center.unreadOnly": "Unread only",
  "center.category": "Category",
  "center.severity": "Severity",
  "center.any": "Any",
  "center.none": "No notifications.",
  "center.markRead": "Mark read",
  "center.archive": "Archive",
  "center.markAllRead": "Mark all read",
  "center.preferences": "Preferences",
  "center.held": "Held: {reason}",
  "category.CONVERSATIONS": "Conversations",
  "category.QUEUES": "Queues",
  "category.AI": "AI",
  "category.SYSTEM": "System",
  "category.SECURITY": "Security",
  "severity.INFO": "Info",
  "severity.WARNING": "Warning",
  "severity.URGENT": "Urgent",
  "held.DO_NOT_DISTURB": "do not disturb",
  "held.QUIET_HOURS": "quiet hours",
  "held.FREQUENCY_LIMIT": "too many at once",
  "toast.close": "Dismiss",
  "dnd.label": "Do not disturb",
  "dnd.off": "Off",
  "dnd.minutes": "{minutes} minutes",
  "dnd.hours": "{hours} hours",
  "dnd.until": "Do not disturb until {time}",
  "preferences.title": "Notification preferences",
  "preferences.explain": "What you are told about, and when. Turned-off types are not kept at all; held ones stay in the center, unread, without a toast or a sound.",
  "preferences.type": "Type",
  "preferences.inApp": "Show",
  "preferences.sound": "Sound",
  "preferences.quietStart": "Quiet hours from",
  "preferences.quietEnd": "Quiet hours until",
  "preferences.timeZone": "Time zone for quiet hours (empty: the organization's)",
  "preferences.urgentPasses": "Urgent ones get through do-not-disturb and quiet hours",
  "preferences.maxPerMinute": "At most this many toasts a minute",
  "preferences.save": "Save preferences",
  "preferences.saved": "Preferences saved.",
  "type.conversation_assigned": "A conversation is assigned to me",
  "type.conversation_taken_back": "A conversation is taken back from me (no reply in time)",
  "type.message_while_away": "A customer writes while I am away",
  "type.transfer_into_my_queue": "A conversation is transferred into my queue",
  "type.ai_alert": "An AI alert on a customer's sentiment",
  "type.number_unhealthy": "A WhatsApp number stops sending",
  "type.administrator_added": "Someone becomes an owner or administrator",
};

export type NotificationMessageKey = keyof typeof en;

const ptBR: Record<NotificationMessageKey, string> = {
  bell: "Notificações, {count} não lidas",
  "center.title": "Notificações",
  "center.unreadOnly": "Só as não lidas",
  "center.category": "Categoria",
  "center.severity": "Gravidade",
  "center.any": "Todas",
  "center.none": "Nenhuma notificação.",
  "center.markRead": "Marcar como lida",
  "center.archive": "Arquivar",
  "center.markAllRead": "Marcar todas como lidas",
  "center.preferences": "Preferências",
  "center.held": "Retida: {reason}",
  "category.CONVERSATIONS": "Conversas",
  "category.QUEUES": "Filas",
  "category.AI": "IA",
  "category.SYSTEM": "Sistema",
  "category.SECURITY": "Segurança",
  "severity.INFO": "Informação",
  "severity.WARNING": "Atenção",
  "severity.URGENT": "Urgente",
  "held.DO_NOT_DISTURB": "não perturbe",
  "held.QUIET_HOURS": "horário de silêncio",
  "held.FREQUENCY_LIMIT": "muitas de uma vez",
  "toast.close": "Dispensar",
  "dnd.label": "Não perturbe",
  "dnd.off": "Desligado",
  "dnd.minutes": "{minutes} minutos",
  "dnd.hours": "{hours} horas",
  "dnd.until": "Não perturbe até {time}",
  "preferences.title": "Preferências de notificação",
  "preferences.explain": "Do que você é avisado, e quando. Tipos desligados nem são guardados; as retidas ficam na central, não lidas, sem aviso nem som.",
  "preferences.type": "Tipo",
  "preferences.inApp": "Mostrar",
  "preferences.sound": "Som",
  "preferences.quietStart": "Silêncio a partir de",
  "preferences.quietEnd": "Silêncio até",
  "preferences.timeZone": "Fuso horário do silêncio (vazio: o da organização)",
  "preferences.urgentPasses": "As urgentes passam pelo não perturbe e pelo silêncio",
  "preferences.maxPerMinute": "No máximo estes avisos por minuto",
  "preferences.save": "Salvar preferências",
  "preferences.saved": "Preferências salvas.",
  "type.conversation_assigned": "Uma conversa é atribuída a mim",
  "type.conversation_taken_back": "Uma conversa é tirada de mim (sem resposta a tempo)",
  "type.message_while_away": "Um cliente escreve enquanto estou ausente",
  "type.transfer_into_my_queue": "Uma conversa é transferida para a minha fila",
  "type.ai_alert": "Um alerta da IA sobre o sentimento de um cliente",
  "type.number_unhealthy": "Um número de WhatsApp para de enviar",
  "type.administrator_added": "Alguém se torna proprietário ou administrador",
};

const DICTIONARIES: Record<Locale, Record<NotificationMessageKey, string>> = { "pt-BR": ptBR, en };

export function useNotificationText(): (
  key: NotificationMessageKey,
  values?: Record<string, string | number>,
) => string {
  return useDictionary(DICTIONARIES);
}

/** A type's name in the person's language; a type this console does not know yet shows as
 * its name. */
export function typeKey(type: string): NotificationMessageKey | null {
  const key = `type.${type}`;
  return key in en ? (key as NotificationMessageKey) : null;
}
