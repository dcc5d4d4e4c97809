import { ChartBubble } from '@strapi/icons';

export const PluginIcon = () => <ChartBubble />;
