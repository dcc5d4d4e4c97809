// Reliability tests run load for minutes against real Strapi processes.
jest.setTimeout(600_000);
