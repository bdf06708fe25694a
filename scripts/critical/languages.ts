/** ISO 639-1 codes accepted as language directives (`:fr[…]`). */
const codes = new Set(
  (
    'af am ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gd gl gu he hi hr hu hy id is it ja ka kk ' +
    'km ko ku ky la lb lo lt lv mk ml mn mr ms mt my nb ne nl nn no pa pl ps pt ro ru sa sk sl so sq sr sv sw ta te ' +
    'tg th tk tl tr tt uk ur uz vi yi zh'
  ).split(' ')
)

export function isLanguageCode(name: string): boolean {
  return codes.has(name)
}
