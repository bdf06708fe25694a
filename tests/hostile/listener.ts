/** A listener on 127.0.0.1 that counts every connection (HTTP, WebSocket upgrade or anything else). */
import http from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Listener {
  url: string
  port: number
  /** Connections accepted, and the request lines seen. */
  connections(): number
  requests: string[]
  close(): Promise<void>
}

export async function listen(): Promise<Listener> {
  let connections = 0
  const requests: string[] = []
  const sockets = new Set<import('node:net').Socket>()
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    res.setHeader('content-type', 'text/plain')
    res.end('LISTENER-WAS-REACHED')
  })
  server.on('connection', (socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('upgrade', (req, socket) => {
    requests.push(`UPGRADE ${req.url}`)
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
