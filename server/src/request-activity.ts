/**
 * How many requests this process has begun serving: the request-tracking middleware counts each
 * (one increment), and long background work on SQLite, which holds the Node.js thread for every
 * statement, reads it to tell a busy server from an idle one.
 */
let begun = 0;

export const noteRequest = (): void => {
  begun += 1;
};

export const requestsBegun = (): number => begun;
