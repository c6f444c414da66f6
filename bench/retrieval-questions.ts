// Questions about undici's own source (node_modules/undici/lib), each with the file that answers it,
// written down from undici's docs (docs/docs/api/*.md name the class or module; the file is where it
// lives). Used by `npm run bench:retrieval` for recall@10 and MRR of the local stage.

export interface Question {
    question: string;
    /** Path under node_modules/undici/. */
    answer: string;
}

export const UNDICI_QUESTIONS: readonly Question[] = [
    {
        question: 'How does a Pool choose which client connection gets the next request?',
        answer: 'lib/dispatcher/pool.js',
    },
    { question: 'Where does the Agent create a pool for each origin?', answer: 'lib/dispatcher/agent.js' },
    {
        question: 'How does BalancedPool weight upstreams when one of them errors?',
        answer: 'lib/dispatcher/balanced-pool.js',
    },
    {
        question: 'How is an HTTP/1.1 response parsed with llhttp in the client?',
        answer: 'lib/dispatcher/client-h1.js',
    },
    { question: 'How are HTTP/2 streams opened for a request?', answer: 'lib/dispatcher/client-h2.js' },
    {
        question:
            'Which proxy does EnvHttpProxyAgent use from the HTTP_PROXY, HTTPS_PROXY and NO_PROXY environment variables?',
        answer: 'lib/dispatcher/env-http-proxy-agent.js',
    },
    {
        question: 'How does ProxyAgent tunnel a request through a proxy with CONNECT?',
        answer: 'lib/dispatcher/proxy-agent.js',
    },
    {
        question: 'RetryAgent: retry requests that failed with a retry handler',
        answer: 'lib/dispatcher/retry-agent.js',
    },
    {
        question: 'How does the RetryHandler compute the delay from Retry-After and exponential backoff?',
        answer: 'lib/handler/retry-handler.js',
    },
    {
        question: 'How does the redirect handler follow a Location header and limit maxRedirections?',
        answer: 'lib/handler/redirect-handler.js',
    },
    {
        question: 'How is a TLS or TCP socket connected with a connect timeout?',
        answer: 'lib/core/connect.js',
    },
    {
        question: 'Which error class is thrown for a headers timeout (UND_ERR_HEADERS_TIMEOUT)?',
        answer: 'lib/core/errors.js',
    },
    {
        question: 'How does a Request validate its method, path and headers before dispatch?',
        answer: 'lib/core/request.js',
    },
    {
        question: 'How does request() return the body as a readable stream with text() and json()?',
        answer: 'lib/api/readable.js',
    },
    {
        question: 'How is dispatcher.request implemented with a RequestHandler?',
        answer: 'lib/api/api-request.js',
    },
    {
        question: 'How does stream() write the response into a writable factory?',
        answer: 'lib/api/api-stream.js',
    },
    {
        question: 'How does pipeline() make a duplex stream of request and response bodies?',
        answer: 'lib/api/api-pipeline.js',
    },
    { question: 'How is a connection upgraded with dispatcher.upgrade?', answer: 'lib/api/api-upgrade.js' },
    {
        question: 'How does MockAgent intercept requests and disable net connect?',
        answer: 'lib/mock/mock-agent.js',
    },
    {
        question: 'How does a MockInterceptor reply with a status, data and headers?',
        answer: 'lib/mock/mock-interceptor.js',
    },
    {
        question: 'How does the SnapshotAgent record and replay HTTP interactions?',
        answer: 'lib/mock/snapshot-agent.js',
    },
    {
        question: 'How does fetch follow the Fetch standard main fetch and HTTP network fetch?',
        answer: 'lib/web/fetch/index.js',
    },
    {
        question: 'How does the Headers class guard and sort header names?',
        answer: 'lib/web/fetch/headers.js',
    },
    {
        question: 'How is a FormData multipart body parsed with its boundary?',
        answer: 'lib/web/fetch/formdata-parser.js',
    },
    {
        question: 'How is a data: URL processed into a MIME type and body?',
        answer: 'lib/web/fetch/data-url.js',
    },
    {
        question: 'How does the WebSocket receiver parse frames and control opcodes?',
        answer: 'lib/web/websocket/receiver.js',
    },
    {
        question: 'How does permessage-deflate compress WebSocket messages?',
        answer: 'lib/web/websocket/permessage-deflate.js',
    },
    {
        question: 'How does EventSource reconnect after the connection closes?',
        answer: 'lib/web/eventsource/eventsource.js',
    },
    {
        question: 'How is the event stream parsed into events with data, id and retry fields?',
        answer: 'lib/web/eventsource/eventsource-stream.js',
    },
    {
        question: 'How are Set-Cookie headers parsed into cookie attributes?',
        answer: 'lib/web/cookies/parse.js',
    },
    {
        question: 'How does the memory cache store keep cached responses under a size limit?',
        answer: 'lib/cache/memory-cache-store.js',
    },
    {
        question:
            'How does the cache interceptor decide whether a cached response is fresh or needs revalidation?',
        answer: 'lib/interceptor/cache.js',
    },
    {
        question: 'How does the dns interceptor cache looked-up addresses and pick one?',
        answer: 'lib/interceptor/dns.js',
    },
    {
        question: 'How does the decompress interceptor handle gzip, br and deflate Content-Encoding?',
        answer: 'lib/interceptor/decompress.js',
    },
    {
        question: 'How does subresource integrity check a response body against its hash metadata?',
        answer: 'lib/web/subresource-integrity/subresource-integrity.js',
    },
    {
        question: 'How does the SOCKS5 proxy agent authenticate and connect through a SOCKS5 server?',
        answer: 'lib/dispatcher/socks5-proxy-agent.js',
    },
];
