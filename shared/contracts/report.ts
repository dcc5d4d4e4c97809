/** The weekly e-mail report (Settings → Usage Analytics, "Weekly report" card). */

/** Days of the week as ISO numbers: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface ReportSettings {
  enabled: boolean;
  /** The day (UTC) the report is sent. */
  weekday: IsoWeekday;
  /** The hour (UTC, 0–23) it is sent in. */
  hour: number;
  /** Admin roles whose active members receive it (no address is stored: looked up at send). */
  roleIds: number[];
}

export interface ReportRole {
  id: number;
  name: string;
  /** Active admins of the role now. */
  activeAdmins: number;
}

/** GET and PUT /usage-analytics/report-settings (admin, `settings` permission). */
export interface ReportSettingsResponse {
  data: {
    settings: ReportSettings;
    roles: ReportRole[];
    /** The email plugin's configured provider (e.g. "nodemailer", "sendmail"). */
    emailProvider: string | null;
    /** When the scheduled report was last sent (ISO), or null. */
    lastSentAt: string | null;
  };
}

/** POST /usage-analytics/report/test: the report of the last 7 days, sent now. */
export interface ReportTestResponse {
  data: { recipients: number; sentAt: string };
}
