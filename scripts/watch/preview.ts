/**
 * The live preview: a small HTTP server on 127.0.0.1 that shows the print HTML (`<out>/print/`)
 * paginated by Paged.js’s previewer, over the same HTML, CSS and fonts as the PDF. A server-sent-
 * events endpoint (`/events`) tells the page to reload after each good build; a tiny script in the
 * page keeps the page the editor was looking at across reloads.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import type {AddressInfo} from 'node:net'

import {pagedSource} from '../print/pagedjs.ts'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml'
}

/** Runs in the page: remembers the page at the top of the window, and reloads on `reload`. */
const client = `
window.PagedConfig = {
  auto: true,
  after: function () {
    var key = 'reader-preview-page';
    var pages = document.querySelectorAll('.pagedjs_page');
    var saved = Number(sessionStorage.getItem(key) || 0);
    if (saved > 0 && pages[saved]) pages[saved].scrollIntoView();
    document.documentElement.setAttribute('data-preview-ready', String(pages.length));
    var timer;
    window.addEventListener('scroll', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        for (var i = 0; i < pages.length; i++) {
          if (pages[i].getBoundingClientRect().bottom > 1) { sessionStorage.setItem(key, String(i)); break; }
        }
      }, 100);
    });
  }
};
(function () {
  var events = new EventSource('/events');
  events.addEventListener('reload', function () { events.close(); location.reload(); });
})();
`

export interface Preview {
  url: string
  /** Tell every open preview to reload. */
  reload(): void
  close(): Promise<void>
}

/** Serve `<printDir>` as a paginated preview on 127.0.0.1 (`port` 0: any free port). */
export async function startPreview(printDir: string, port = 0): Promise<Preview> {
  const clients = new Set<ServerResponse>()
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url || '/', 'http://127.0.0.1')
    if (url.pathname === '/events') {
      response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive'})
      response.write(': connected\n\n')
      clients.add(response)
      request.on('close', () => clients.delete(response))
      return
    }
    try {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const html = await readFile(path.join(printDir, 'index.html'), 'utf8')
        const scripts = `<script>${client}</script><script src="/_preview/paged.polyfill.js"></script>`
        const page = html.includes('</head>') ? html.replace('</head>', `${scripts}</head>`) : scripts + html
        return send(response, 200, types['.html'], page)
      }
      if (url.pathname === '/_preview/paged.polyfill.js') return send(response, 200, types['.js'], pagedSource())
      const file = path.resolve(printDir, '.' + decodeURIComponent(url.pathname))
      if (!file.startsWith(path.resolve(printDir) + path.sep)) return send(response, 403, 'text/plain', 'Forbidden')
      return send(response, 200, types[path.extname(file)] || 'application/octet-stream', await readFile(file))
    } catch {
      return send(response, 404, 'text/plain', 'Not found')
    }
  }
  const server: Server = createServer((request, response) => void handle(request, response))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}/`,
    reload() {
      for (const response of clients) response.write('event: reload\ndata: {}\n\n')
    },
    close() {
      for (const response of clients) response.end()
      clients.clear()
      return new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer) {
  response.writeHead(status, {'content-type': type, 'cache-control': 'no-store'})
  response.end(body)
}
