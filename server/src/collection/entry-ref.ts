import { z } from 'zod';

/** How a hit names the content entry it is about. */
export const contentTypeUid = z
  .string()
  .max(255)
  .regex(
    /^api::[a-z0-9-]+\.[a-z0-9-]+$/,
    'must be a content type uid such as api::article.article'
  );
export const documentId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"');
export const locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, 'must be a locale code such as en or fr-CA');
