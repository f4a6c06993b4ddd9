/**
 * Common English given-name diminutives, each group one name. Not exhaustive: enough that
 * "Bob" and "Robert" or "Liz" and "Elizabeth" compare as the same name rather than as
 * different strings (Jaro-Winkler alone scores "bob"/"robert" 0.0).
 */
const GROUPS: readonly (readonly string[])[] = [
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'bert'],
  ['william', 'bill', 'billy', 'will', 'willy', 'liam'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby', 'elisabeth', 'betsy'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge', 'greta'],
  ['richard', 'rick', 'ricky', 'dick', 'rich'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny', 'jon'],
  ['jonathan', 'jon', 'jonny'],
  ['michael', 'mike', 'mikey', 'mick'],
  ['catherine', 'kate', 'katie', 'cathy', 'kathy', 'katherine', 'kathryn', 'cat'],
  ['thomas', 'tom', 'tommy'],
  ['christopher', 'chris', 'kit'],
  ['christine', 'chris', 'chrissy', 'tina'],
  ['joseph', 'joe', 'joey'],
  ['daniel', 'dan', 'danny'],
  ['matthew', 'matt'],
  ['anthony', 'tony'],
  ['edward', 'ed', 'eddie', 'ted', 'ned'],
  ['alexander', 'alex', 'sandy', 'xander'],
  ['alexandra', 'alex', 'sandra', 'sasha'],
  ['andrew', 'andy', 'drew'],
  ['benjamin', 'ben', 'benny'],
  ['charles', 'charlie', 'chuck', 'chas'],
  ['david', 'dave', 'davy'],
  ['stephen', 'steve', 'steven'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy'],
  ['patricia', 'pat', 'patty', 'trish'],
  ['patrick', 'pat', 'paddy'],
  ['jennifer', 'jen', 'jenny'],
  ['susan', 'sue', 'susie'],
  ['deborah', 'deb', 'debbie'],
  ['rebecca', 'becky', 'becca'],
  ['victoria', 'vicky', 'tori'],
  ['nicholas', 'nick', 'nicky'],
  ['timothy', 'tim', 'timmy'],
  ['gregory', 'greg'],
  ['kenneth', 'ken', 'kenny'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['lawrence', 'larry'],
  ['jacqueline', 'jackie'],
  ['theodore', 'ted', 'teddy', 'theo'],
  ['frederick', 'fred', 'freddie'],
  ['henry', 'harry', 'hank'],
  ['peter', 'pete'],
  ['abigail', 'abby'],
  ['dorothy', 'dot', 'dottie'],
  ['josephine', 'jo', 'josie'],
  ['eleanor', 'ellie', 'nora'],
  ['susanna', 'sue', 'susie'],
  ['judith', 'judy'],
  ['barbara', 'barb', 'babs'],
  ['pamela', 'pam'],
  ['kimberly', 'kim'],
  ['natalie', 'nat'],
  ['nathaniel', 'nate', 'nat'],
  ['zachary', 'zach', 'zack'],
];

const INDEX: ReadonlyMap<string, ReadonlySet<number>> = (() => {
  const index = new Map<string, Set<number>>();
  GROUPS.forEach((group, i) => {
    for (const name of group) {
      const set = index.get(name) ?? new Set<number>();
      set.add(i);
      index.set(name, set);
    }
  });
  return index;
})();

/** Whether two (lower-case) given names are forms of one name, e.g. "bob" and "robert". */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const groups = INDEX.get(a);
  if (!groups) return false;
  for (const g of INDEX.get(b) ?? []) if (groups.has(g)) return true;
  return false;
}

/** Every spelling of a name's groups (itself included), for blocking on nicknames. */
export function nameForms(name: string): string[] {
  const forms = new Set([name]);
  for (const g of INDEX.get(name) ?? []) for (const n of GROUPS[g]) forms.add(n);
  return [...forms];
}
