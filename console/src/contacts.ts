export interface Contacted {
  contact: { waId?: string | null; username?: string | null; profileName?: string | null };
}

/** The customer as agents know them: their WhatsApp name, else their username or number. */
export function customerName(conversation: Contacted | null | undefined): string | null {
  const contact = conversation?.contact;
  if (!contact) return null;
  return contact.profileName ?? contact.username ?? (contact.waId ? `+${contact.waId}` : null);
}
