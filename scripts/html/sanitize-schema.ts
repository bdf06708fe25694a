/**
 * The edition’s sanitising schema: only the elements and attributes the design uses. Applied to the
 * whole reader before anything renders it, so nothing from a manuscript can run or fetch.
 */
import {defaultSchema, type Schema} from 'hast-util-sanitize'

const common = ['id', 'className', 'lang', 'role', 'ariaLabel', 'ariaLabelledBy', 'dataPart', 'dataB']

export const readerSchema: Schema = {
  ...defaultSchema,
  clobberPrefix: '',
  clobber: [],
  tagNames: [
    'section', 'nav', 'header', 'div', 'p', 'span', 'a', 'i', 'em', 'b', 'strong', 'cite', 'sup', 'sub', 'br', 'hr',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q', 'abbr', 'small',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'del', 'ins', 'body', 'figure', 'figcaption'
  ],
  attributes: {
    '*': common,
    a: [...common, 'href', 'ariaDescribedBy'],
    li: [...common, 'value', 'dataMark'],
    ol: [...common, 'start'],
    section: [...common, 'dataAuthor', 'dataTitle'],
    span: [...common, 'dataWas', 'dataIx'],
    td: [...common, 'align'],
    th: [...common, 'align']
  },
  protocols: {href: ['http', 'https', 'mailto']},
  required: {},
  strip: ['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math']
}
