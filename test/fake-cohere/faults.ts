// Fault counting and the HTTP answers of the status faults. A fault applies to the first request
// that carries it (or `times=N` requests), counted per spec and last user message, so a retry of
// the same request gets the normal reply.
import type { ScenarioSpec, StatusFault } from './spec';
import { faultTimes, numberParam } from './spec';
import type { ApiError } from './validate';

/** How many times each fault has applied, per fault spec and key (the last user message, or the path). */
export class FaultCounter {
    private readonly counts = new Map<string, number>();

    /** True (and counted) when this fault still applies to a request with this key. */
    take(spec: ScenarioSpec, key: string): boolean {
        const id = `${spec.raw}\0${key}`;
        const count = this.counts.get(id) ?? 0;
        if (count >= faultTimes(spec)) return false;
        this.counts.set(id, count + 1);
        return true;
    }

    /** The first status fault that still applies; later ones are left uncounted for the next request. */
    takeStatusFault(
        faults: readonly ScenarioSpec<StatusFault>[],
        key: string,
    ): ScenarioSpec<StatusFault> | undefined {
        return faults.find((fault) => this.take(fault, key));
    }

    clear(): void {
        this.counts.clear();
    }
}

const RATE_LIMIT_MESSAGE = 'You are past the per minute request limit, please wait and try again later.';

/** What the server answers for a status fault; 502-html brings a proxy's HTML page. */
export function statusFaultError(fault: ScenarioSpec<StatusFault>): ApiError & { html?: string } {
    switch (fault.name) {
        case '429-retry-after':
            return {
                status: 429,
                message: RATE_LIMIT_MESSAGE,
                headers: { 'retry-after': String(numberParam(fault, 'seconds', 1)) },
            };
        case '429-reset': {
            const reset = Math.floor(Date.now() / 1000) + numberParam(fault, 'seconds', 1);
            return {
                status: 429,
                message: RATE_LIMIT_MESSAGE,
                headers: { 'x-ratelimit-reset': String(reset) },
            };
        }
        case '500':
            return {
                status: 500,
                message: 'internal server error, this has been reported to our developers. id 0f3c2a1e',
            };
        case '502-html':
            return { status: 502, message: '502 Bad Gateway', html: BAD_GATEWAY_PAGE };
        case '503':
            return {
                status: 503,
                message: 'service unavailable: the model is overloaded, please try again later.',
            };
        case '504':
            return { status: 504, message: 'gateway timeout: the request took too long to process.' };
        case '498':
            return {
                status: 498,
                message:
                    'blocked output: please adjust your prompt and try again, as this request may contain content that is not allowed.',
            };
        case '499':
            return { status: 499, message: 'request cancelled' };
    }
}

const BAD_GATEWAY_PAGE =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
    '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
