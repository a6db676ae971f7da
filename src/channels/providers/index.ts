export { createProviderChannels, MESSENGER_PATH, WHATSAPP_PATH, type ProviderChannelDeps, type ProviderChannels } from './provider-channels';
export { whatsappNumber } from './addresses';
