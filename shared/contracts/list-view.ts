/** The Content Manager list view's "Views (30 d)" column. */

/** Document ids one request may ask for: the Content Manager's largest page size. */
export const LIST_VIEW_MAX_IDS = 100;

/** Days the column counts, ending today (UTC), as the dashboard's "Last 30 days". */
export const LIST_VIEW_DAYS = 30;

/** GET /usage-analytics/list-view/config */
export interface ListViewConfigResponse {
  data: {
    /** The settings page's switch (`listViewColumn`). */
    enabled: boolean;
    /** Collection types whose entries are counted: the app's own, minus the excluded ones. */
    contentTypes: string[];
  };
}

/** GET /usage-analytics/list-view/views?contentType=&documentIds=a,b&locale= */
export interface ListViewViewsResponse {
  data: {
    range: { from: string; to: string };
    /** Views of each asked document over the range (0 when none), in the locale when given. */
    views: Record<string, number>;
  };
}
