import { z } from 'zod';
import { idParams, queryId } from '../../lib/validate.ts';

export const listNoticesQuery = z
  .object({
    finding: queryId('问题').optional(),
  })
  .strict();

export const noticeParams = idParams('督办文书');
