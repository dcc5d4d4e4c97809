// Log lines and database errors shortened for a table cell: no colours, timestamps or SQL.
// eslint-disable-next-line no-control-regex -- terminal colour codes start with ESC
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;
const LOG_PREFIX = /^\[[^\]]*\]\s*\w+:\s*/;
// knex's errors read "<sql> - <driver message>": keep what precedes the SQL and the driver message.
const KNEX_ERROR = /^([\s\S]*?)\b(?:insert into|select|update|delete from)\b[\s\S]* - ([\s\S]*)$/i;

/** `text` without colours, log prefix and SQL, at most `max` characters. */
export function shortMessage(text, max = 160) {
  const plain = text.replace(ANSI_COLOUR, '').replace(LOG_PREFIX, '').trim();
  const match = KNEX_ERROR.exec(plain);
  const short = match ? `${match[1]}${match[2]}` : plain;
  return short.length > max ? `${short.slice(0, max - 1)}…` : short;
}
