/** The detail drawer's width (px) with room to spare, and the narrowest it gets in a small window
 * (apart from the drawer's code, which loads when it first opens). */
export const DRAWER_MAX = 580;
export const DRAWER_MIN = 320;
