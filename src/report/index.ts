import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Format, Reporter } from './types.js';

export { FORMATS, type Format, type ReportContext, type Reporter } from './types.js';
export { JSON_REPORT_VERSION } from './json.js';

export const REPORTERS: Readonly<Record<Format, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  html: htmlReporter,
};
