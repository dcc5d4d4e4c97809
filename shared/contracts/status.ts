/** GET /usage-analytics/status — what the plugin is doing, for the admin panel. */
export interface StatusResponse {
  data: {
    version: string;
    collecting: boolean;
    database: 'sqlite' | 'postgres' | 'mysql' | string;
    schemaVersion: string | null;
    instanceId: string;
  };
}
