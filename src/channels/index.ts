export { createBotRuntime, type BotOutput, type BotRuntime, type TurnInput, type EarlyReply } from './bot-runtime';
export { errorHandler, notFound, shopperRoutes } from './http-routes';
export { isOriginAllowed } from './origin';
export { parseClientFrame, toMessageFrame, type ClientFrame, type ServerFrame } from './protocol';
export { webBundleDir, projectRoot } from './paths';
export { RateLimiter } from './rate-limit';
export { baseSecurityHeaders, setHtmlSecurityHeaders } from './security-headers';
export { createShopperGateway, SHOPPER_SOCKET_PATH, type ShopperGateway } from './shopper-gateway';
export { rejectUpgrade, routeUpgrades, type UpgradeHandler } from './upgrade';
